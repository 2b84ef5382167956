import { describe, expect, it } from 'vitest';
import { createQuadratic } from '../functions/quadratic';
import type { Oracle } from '../functions/testFunction';
import type { Vec2 } from '../math/vec2';
import { distance } from '../math/vec2';
import { createPlaneCurveBall } from './planeCurveBall';
import { createPlaneNewton } from './planeNewton';
import { defaultSettings, optimizerById } from './optimizerCatalog';
import { createPlaneSgd } from './planeSgd';
import { runTrajectory } from './trajectory';

/** f = ½wᵀHw with H = [[3, 1], [1, 2]]: gradient Hw. */
const H = { xx: 3, xy: 1, yy: 2 };
const quadratic: Oracle = {
  value: ([x, y]) => 0.5 * (3 * x * x + 2 * x * y + 2 * y * y),
  gradient: ([x, y]) => [3 * x + y, x + 2 * y],
  hessian: () => H,
};

describe('CurveBall with the exact Hessian', () => {
  it('takes an exact line search along −g on its first step (λ = 0): β = g·g / gᵀHg, ρ = 0', () => {
    // At w = (1, 1): g = (4, 3), g·g = 25, gᵀHg = 3·16 + 2·12 + 2·9 = 90, so β = 25/90 and w₁ = w − β·g.
    const result = createPlaneCurveBall({ lambda: 0, lambdaInterval: 0 }).step([1, 1], quadratic);
    const beta = 25 / 90;
    expect(result.w[0]).toBeCloseTo(1 - 4 * beta, 14);
    expect(result.w[1]).toBeCloseTo(1 - 3 * beta, 14);
    expect(result.trace?.beta).toBeCloseTo(beta, 14);
    expect(result.trace?.rho).toBeCloseTo(0, 15);
    // The exact line search leaves the new gradient orthogonal to the old one.
    const g1 = quadratic.gradient(result.w);
    expect(g1[0] * 4 + g1[1] * 3).toBeCloseTo(0, 12);
  });

  it('lands on a 2D quadratic’s minimum on its second step when λ = 0: z and dz then span the plane', () => {
    const optimizer = createPlaneCurveBall({ lambda: 0, lambdaInterval: 0 });
    const w1 = optimizer.step([1, 1], quadratic).w;
    const w2 = optimizer.step(w1, quadratic).w;
    expect(Math.abs(w2[0])).toBeLessThan(1e-14);
    expect(Math.abs(w2[1])).toBeLessThan(1e-14);
  });

  it('damps that first step by λ: β = g·g / (gᵀHg + λ·g·g)', () => {
    const result = createPlaneCurveBall({ lambda: 0.5, lambdaInterval: 0 }).step([1, 1], quadratic);
    const beta = 25 / (90 + 0.5 * 25);
    expect(result.w[0]).toBeCloseTo(1 - 4 * beta, 14);
    expect(result.w[1]).toBeCloseTo(1 - 3 * beta, 14);
  });

  it('reaches the ill-conditioned quadratic’s minimum to 1e-6 within 30 steps, where SGD does not', () => {
    const fn = createQuadratic();
    const curveball = runTrajectory(
      optimizerById('curveball').create(defaultSettings(optimizerById('curveball'), 'quadratic')),
      fn.createOracle(),
      fn.value,
      fn.start,
      30,
    );
    const first = curveball.points.findIndex((p) => distance(p, fn.minimum) < 1e-6);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(30);

    const sgd = runTrajectory(createPlaneSgd({ learningRate: defaultSettings(optimizerById('sgd'), 'quadratic').learningRate }), fn.createOracle(), fn.value, fn.start, 30);
    expect(sgd.divergedAt).toBeNull();
    expect(Math.min(...sgd.points.map((p) => distance(p, fn.minimum)))).toBeGreaterThan(1e-6);
  });

  it('keeps λ when the model predicts exactly (λ = 0 on a quadratic: ratio 1)', () => {
    const optimizer = createPlaneCurveBall({ lambda: 0, lambdaInterval: 1 });
    const first = optimizer.step([1, 1], quadratic);
    expect(first.trace?.ratio).toBeCloseTo(1, 12);
  });

  describe('adapts λ by the model-fit ratio every interval, from the first step', () => {
    const factor = 0.999 ** 5;
    const lambdaAfterSteps = (value: (w: Vec2) => number, steps: number) => {
      const oracle: Oracle = { ...quadratic, value };
      const optimizer = createPlaneCurveBall({ lambda: 0.1, lambdaInterval: 5 });
      let w: Vec2 = [1, 1];
      const lambdas: number[] = [];
      for (let k = 0; k < steps; k++) {
        const result = optimizer.step(w, oracle);
        lambdas.push(result.trace!.lambda);
        w = result.w;
      }
      return lambdas;
    };

    it('raises λ by 1/0.999⁵ when f did not fall as predicted (ratio < 0.5)', () => {
      // A function whose value never changes: actual change 0, ratio 0.
      const lambdas = lambdaAfterSteps(() => 7, 7);
      expect(lambdas.slice(0, 1)).toEqual([0.1]);
      for (const k of [1, 2, 3, 4, 5]) expect(lambdas[k]).toBeCloseTo(0.1 / factor, 15);
      expect(lambdas[6]).toBeCloseTo(0.1 / factor ** 2, 15);
    });

    it('lowers λ by 0.999⁵ when f fell far more than predicted (ratio > 1.5)', () => {
      // f = 1000 at the start and 0 everywhere else: the drop dwarfs the model's prediction.
      const lambdas = lambdaAfterSteps(([x, y]) => (x === 1 && y === 1 ? 1000 : 0), 3);
      expect(lambdas[0]).toBe(0.1);
      expect(lambdas[1]).toBeCloseTo(0.1 * factor, 15);
      expect(lambdas[2]).toBeCloseTo(0.1 * factor, 15);
    });
  });
});

describe('Newton', () => {
  it('lands on a quadratic’s minimum in one step', () => {
    const w = createPlaneNewton().step([1, 1], quadratic).w;
    expect(Math.abs(w[0])).toBeLessThan(1e-14);
    expect(Math.abs(w[1])).toBeLessThan(1e-14);
  });
});
