import { describe, expect, it } from 'vitest';
import { testFunctionById } from '../functions/testFunctionCatalog';
import type { FunctionId } from '../functions/testFunction';
import { distance } from '../math/vec2';
import { defaultSettings, optimizerById, optimizerCatalog, settingProblem } from './optimizerCatalog';
import { runTrajectory } from './trajectory';

/** The larger eigenvalue of [[a, b], [b, c]]: (a + c)/2 + √(((a − c)/2)² + b²). */
function largestEigenvalue(a: number, b: number, c: number): number {
  return (a + c) / 2 + Math.sqrt(((a - c) / 2) ** 2 + b * b);
}

describe('optimizer catalog', () => {
  it('gives every setting a default inside its own range, on every function', () => {
    for (const entry of optimizerCatalog) {
      for (const fnId of ['quadratic', 'rosenbrock', 'noisyRosenbrock', 'beale'] as FunctionId[]) {
        const values = defaultSettings(entry, fnId);
        for (const spec of entry.settings) expect(settingProblem(entry, spec, values[spec.key])).toBeNull();
      }
    }
  });

  it('keeps CurveBall’s damping small by default (1e-3)', () => {
    expect(defaultSettings(optimizerById('curveball'), 'rosenbrock').lambda).toBe(1e-3);
  });

  it.each(['quadratic', 'rosenbrock'] as FunctionId[])(
    'sets SGD’s learning rate on the %s just under the stability limit 2/λ_max at the minimum',
    (fnId) => {
      const fn = testFunctionById(fnId);
      const H = fn.hessian(fn.minimum);
      const limit = 2 / largestEigenvalue(H.xx, H.xy, H.yy);
      const lr = defaultSettings(optimizerById('sgd'), fnId).learningRate;
      expect(lr).toBeLessThan(limit);
      expect(lr).toBeGreaterThan(0.9 * limit);
    },
  );

  it('damps CurveBall more on the noisy Rosenbrock, where λ = 1e-3 lets the noise throw it far out of view', () => {
    const fn = testFunctionById('noisyRosenbrock');
    const curveball = optimizerById('curveball');
    const farthest = (lambda: number) => {
      const t = runTrajectory(curveball.create({ ...defaultSettings(curveball, fn.id), lambda }), fn.createOracle(), fn.value, fn.start, 200);
      return Math.max(...t.points.map((p) => distance(p, fn.minimum)));
    };
    const lambda = defaultSettings(curveball, fn.id).lambda;
    expect(lambda).toBe(30);
    // The view is 3.2 × 2.2 around the valley; the start is 2.2 from the minimum.
    expect(farthest(lambda)).toBeLessThan(3.5);
    expect(farthest(1e-3)).toBeGreaterThan(100);
  });

  it('names the optimizer, the field and the range when a value is rejected', () => {
    const sgd = optimizerById('sgd');
    const lr = sgd.settings[0];
    expect(settingProblem(sgd, lr, -1)).toBe('SGD learning rate must be from 0 to 10; got -1.');
    expect(settingProblem(sgd, lr, Number.NaN)).toBe('SGD learning rate must be a number from 0 to 10.');
    const curveball = optimizerById('curveball');
    const interval = curveball.settings.find((spec) => spec.key === 'lambdaInterval')!;
    expect(settingProblem(curveball, interval, 2.5)).toBe('CurveBall adapt λ every must be a whole number; got 2.5.');
    expect(settingProblem(curveball, interval, 3)).toBeNull();
  });
});
