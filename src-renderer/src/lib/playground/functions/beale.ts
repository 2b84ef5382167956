import type { Symmetric2x2 } from '../math/symmetric2x2';
import type { Vec2 } from '../math/vec2';
import type { TestFunction } from './testFunction';

const targets = [1.5, 2.25, 2.625] as const;

/**
 * Beale's function f = Σᵢ rᵢ², rᵢ = cᵢ − x + x·yⁱ (i = 1, 2, 3; c = 1.5, 2.25, 2.625), minimum 0 at (3, ½).
 * Gradient and Hessian by the chain rule: ∇f = Σ 2rᵢ∇rᵢ and ∇²f = Σ 2(∇rᵢ∇rᵢᵀ + rᵢ∇²rᵢ), with
 * ∇rᵢ = (yⁱ − 1, i·x·yⁱ⁻¹) and ∇²rᵢ = [[0, i·yⁱ⁻¹], [i·yⁱ⁻¹, i(i−1)·x·yⁱ⁻²]].
 */
function residuals(w: Vec2): { r: number; rx: number; ry: number; rxy: number; ryy: number }[] {
  const [x, y] = w;
  return targets.map((c, index) => {
    const i = index + 1;
    return {
      r: c - x + x * y ** i,
      rx: y ** i - 1,
      ry: i * x * y ** (i - 1),
      rxy: i * y ** (i - 1),
      ryy: i === 1 ? 0 : i * (i - 1) * x * y ** (i - 2),
    };
  });
}

export function bealeValue(w: Vec2): number {
  return residuals(w).reduce((sum, { r }) => sum + r * r, 0);
}

export function bealeGradient(w: Vec2): Vec2 {
  let gx = 0;
  let gy = 0;
  for (const { r, rx, ry } of residuals(w)) {
    gx += 2 * r * rx;
    gy += 2 * r * ry;
  }
  return [gx, gy];
}

export function bealeHessian(w: Vec2): Symmetric2x2 {
  let xx = 0;
  let xy = 0;
  let yy = 0;
  for (const { r, rx, ry, rxy, ryy } of residuals(w)) {
    xx += 2 * rx * rx;
    xy += 2 * (rx * ry + r * rxy);
    yy += 2 * (ry * ry + r * ryy);
  }
  return { xx, xy, yy };
}

/** Beale: flat plateaus and steep ridges, with the minimum at the end of a narrow, curving trough. */
export function createBeale(): TestFunction {
  const fn: TestFunction = {
    id: 'beale',
    label: 'Beale',
    description:
      'Beale’s function: flat plateaus next to steep walls, minimum at (3, ½) in a narrow trough. ' +
      'A fixed learning rate suits neither part.',
    start: [-1, -0.5],
    view: { xMin: -1.5, xMax: 4.5, yMin: -2, yMax: 2.5 },
    minimum: [3, 0.5],
    minimumValue: 0,
    levelSpacing: 'log',
    value: bealeValue,
    gradient: bealeGradient,
    hessian: bealeHessian,
    createOracle: () => fn,
  };
  return fn;
}
