import { describe, expect, it } from 'vitest';
import type { Vec2 } from '../math/vec2';
import { bealeValue } from './beale';
import { createNoisyRosenbrock } from './noisyRosenbrock';
import { createQuadratic, rotatedQuadraticHessian } from './quadratic';
import { rosenbrockValue } from './rosenbrock';
import type { TestFunction } from './testFunction';
import { testFunctionById, testFunctions } from './testFunctionCatalog';

/** Central differences: error O(h²) times the third (gradient) or fourth (Hessian) derivative. */
function finiteDifferenceGradient(f: (w: Vec2) => number, w: Vec2, h: number): Vec2 {
  return [(f([w[0] + h, w[1]]) - f([w[0] - h, w[1]])) / (2 * h), (f([w[0], w[1] + h]) - f([w[0], w[1] - h])) / (2 * h)];
}

function expectClose(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

const probePoints: Vec2[] = [
  [-1.2, 1],
  [0.3, -0.7],
  [1.7, 2.2],
  [2.5, 0.25],
];

describe.each(testFunctions.map((fn) => [fn.id, fn] as const))('%s', (_id, fn: TestFunction) => {
  it.each(probePoints)('has the gradient of its value at (%s, %s)', (x, y) => {
    const fd = finiteDifferenceGradient(fn.value, [x, y], 1e-5);
    const g = fn.gradient([x, y]);
    expectClose(g[0], fd[0], 1e-6);
    expectClose(g[1], fd[1], 1e-6);
  });

  it.each(probePoints)('has the Hessian of its gradient at (%s, %s)', (x, y) => {
    const h = 1e-5;
    const dx = [fn.gradient([x + h, y]), fn.gradient([x - h, y])];
    const dy = [fn.gradient([x, y + h]), fn.gradient([x, y - h])];
    const H = fn.hessian([x, y]);
    expectClose(H.xx, (dx[0][0] - dx[1][0]) / (2 * h), 1e-6);
    expectClose(H.xy, (dx[0][1] - dx[1][1]) / (2 * h), 1e-6);
    expectClose(H.xy, (dy[0][0] - dy[1][0]) / (2 * h), 1e-6);
    expectClose(H.yy, (dy[0][1] - dy[1][1]) / (2 * h), 1e-6);
  });

  it('has zero gradient and its stated value at its minimum, and a positive definite Hessian there', () => {
    const g = fn.gradient(fn.minimum);
    expect(Math.abs(g[0])).toBeLessThan(1e-12);
    expect(Math.abs(g[1])).toBeLessThan(1e-12);
    expect(fn.value(fn.minimum)).toBeCloseTo(fn.minimumValue, 12);
    const H = fn.hessian(fn.minimum);
    expect(H.xx).toBeGreaterThan(0);
    expect(H.xx * H.yy - H.xy * H.xy).toBeGreaterThan(0);
  });

  it('starts inside its view, above its minimum, with the minimum in view too', () => {
    for (const p of [fn.start, fn.minimum]) {
      expect(p[0]).toBeGreaterThan(fn.view.xMin);
      expect(p[0]).toBeLessThan(fn.view.xMax);
      expect(p[1]).toBeGreaterThan(fn.view.yMin);
      expect(p[1]).toBeLessThan(fn.view.yMax);
    }
    expect(fn.value(fn.start)).toBeGreaterThan(fn.minimumValue + 1);
  });
});

describe('hand-computed values', () => {
  it('Rosenbrock: f(−1.2, 1) = 2.2² + 100·0.44² = 24.2; f(0, 0) = 1', () => {
    expect(rosenbrockValue([-1.2, 1])).toBeCloseTo(24.2, 12);
    expect(rosenbrockValue([0, 0])).toBe(1);
  });

  it('Beale: f(0, y) = 1.5² + 2.25² + 2.625² for any y; f(1, 1) likewise; f(3, ½) = 0', () => {
    const atZero = 1.5 ** 2 + 2.25 ** 2 + 2.625 ** 2;
    expect(bealeValue([0, 0.7])).toBeCloseTo(atZero, 12);
    expect(bealeValue([1, 1])).toBeCloseTo(atZero, 12);
    expect(bealeValue([3, 0.5])).toBe(0);
  });

  it('quadratic: curvature 1 along the 30° direction and κ = 50 across it', () => {
    const H = rotatedQuadraticHessian(50, Math.PI / 6);
    const along: Vec2 = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const across: Vec2 = [-Math.sin(Math.PI / 6), Math.cos(Math.PI / 6)];
    const q = createQuadratic();
    // f = ½·curvature·t² along each eigenvector
    expect(q.value([2 * along[0], 2 * along[1]])).toBeCloseTo(0.5 * 1 * 4, 12);
    expect(q.value([2 * across[0], 2 * across[1]])).toBeCloseTo(0.5 * 50 * 4, 12);
    expect(H.xx + H.yy).toBeCloseTo(51, 12);
    expect(H.xx * H.yy - H.xy ** 2).toBeCloseTo(50, 10);
  });
});

describe('noisy Rosenbrock', () => {
  const clean = testFunctionById('rosenbrock');

  it('adds gradient noise of the stated size, the same for every oracle, and keeps values and Hessians clean', () => {
    const noisy = createNoisyRosenbrock(0.5, 11);
    const a = noisy.createOracle();
    const b = noisy.createOracle();
    const w: Vec2 = [0.5, 0.5];
    const g = clean.gradient(w);
    const n = 20_000;
    let sum = 0;
    let squares = 0;
    let mismatches = 0;
    for (let k = 0; k < n; k++) {
      const ga = a.gradient(w);
      const gb = b.gradient(w);
      if (ga[0] !== gb[0] || ga[1] !== gb[1]) mismatches += 1;
      for (const i of [0, 1] as const) {
        sum += ga[i] - g[i];
        squares += (ga[i] - g[i]) ** 2;
      }
    }
    expect(mismatches).toBe(0);
    expect(Math.abs(sum / (2 * n))).toBeLessThan(0.02);
    expect(Math.sqrt(squares / (2 * n))).toBeCloseTo(0.5, 1);
    expect(a.value(w)).toBe(clean.value(w));
    expect(a.hessian(w)).toEqual(clean.hessian(w));
  });

  it('differs between seeds', () => {
    const w: Vec2 = [0, 0];
    expect(createNoisyRosenbrock(0.5, 1).createOracle().gradient(w)).not.toEqual(createNoisyRosenbrock(0.5, 2).createOracle().gradient(w));
  });
});
