import { afterAll, describe, expect, it } from 'vitest';
import { disposeParams, type Params } from '../params';
import { meanSquaredError } from '../losses/meanSquaredError';
import { hessianFreeDefinition, type HessianFreeState } from './hessianFree';
import type { OptimizerOptions } from './defineOptimizer';
import type { Optimizer } from './optimizer';
import { dot, matVec, solveLinearSystem, transpose } from './denseLinearAlgebra.testkit';
import {
  LinearModelStepContext,
  ScriptedLossContext,
  randomLinearParams,
  regressionProblem,
  type LinearProblem,
} from './linearModelStepContext.testkit';
import { disposeRun, flatten, runSteps } from './trainingLoop.testkit';

const regression = regressionProblem(41, 24, 4, meanSquaredError);
afterAll(() => regression.dispose());

const Z = regression.xRows.map((row) => [...row, 1]);
const t = regression.targetRows.map((r) => r[0]);
const N = Z.length;
/** Gauss-Newton matrix JᵀH_L·J = (2/N)·ZᵀZ of the mean squared error, explicit. */
const G = transpose(Z).map((a) => transpose(Z).map((b) => (2 / N) * dot(a, b)));
const gradient = (theta: number[]) => matVec(transpose(Z), matVec(Z, theta).map((y, i) => (2 * (y - t[i])) / N));
const damped = (lambda: number) => G.map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0)));

const hessianFree = (options: OptimizerOptions) => hessianFreeDefinition.create(options) as Optimizer<HessianFreeState>;
const contextsFor = (problem: LinearProblem) => (params: Params, step: number) => new LinearModelStepContext(problem, params, step);

function expectAllClose(actual: number[], expected: number[], tolerance: number, what: string): void {
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `${what}[${i}]: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance));
}

describe('hessian-free', () => {
  const init = randomLinearParams(9, 4, 1, 0.5);
  const theta0 = flatten(init);
  afterAll(() => disposeParams(init));

  it('first step solves (JᵀH_L·J + λI)·z = −∇L and steps by lr·z', () => {
    const lambda = 0.5;
    const z = solveLinearSystem(damped(lambda), gradient(theta0).map((g) => -g));
    const optimizer = hessianFree({ lambda, lr: 0.8, maxIterations: 20, tolerance: 1e-5 });
    const run = runSteps(optimizer, init, 1, contextsFor(regression));
    expectAllClose(run.trajectory[0], theta0.map((w, i) => w + 0.8 * z[i]), 2e-5, 'w after step 0');
    expect(run.traces[0].cgIterations).toBeGreaterThanOrEqual(1);
    expect(run.traces[0].cgIterations).toBeLessThanOrEqual(10); // 5 unknowns: 5 in exact arithmetic
    expect(run.traces[0].residual).toBeLessThanOrEqual(1e-5);
    expect(Object.keys(run.traces[0]).sort()).toEqual(['cgIterations', 'lambda', 'ratio', 'residual']);
    // The state keeps the CG solution itself (before lr), for the next warm start.
    expectAllClose(flatten(run.state.previousSolution), z, 2e-5, 'previous solution');
    disposeRun(run, init);
  });

  it('on a quadratic the undamped model is exact: ratio 1, so λ shrinks by 2/3 every step', () => {
    const optimizer = hessianFree({ lambda: 0.5, maxIterations: 20, tolerance: 1e-5 });
    const run = runSteps(optimizer, init, 3, contextsFor(regression));
    run.traces.forEach((trace, step) => {
      expect(trace.ratio, `ratio at step ${step}`).toBeCloseTo(1, 2);
      expect(trace.lambda).toBeCloseTo(0.5 * (2 / 3) ** step, 12);
    });
    expect(run.state.lambda).toBeCloseTo(0.5 * (2 / 3) ** 3, 12);
    disposeRun(run, init);
  });

  it('grows λ by 3/2 when the loss rises, with ratio = ΔL / (lr·∇ᵀz + ½lr²·zᵀGz)', () => {
    const lambda = 0.5;
    const lr = 0.5;
    const g = gradient(theta0);
    const z = solveLinearSystem(damped(lambda), g.map((v) => -v));
    const predicted = lr * dot(g, z) + 0.5 * lr * lr * dot(z, matVec(G, z));
    const optimizer = hessianFree({ lambda, lr, maxIterations: 20, tolerance: 1e-5 });
    const run = runSteps(optimizer, init, 1, (params, step) => new ScriptedLossContext(regression, params, step, (before) => before + 0.25));
    expect(run.traces[0].ratio).toBeCloseTo(0.25 / predicted, 3);
    expect(run.state.lambda).toBeCloseTo(0.75, 12);
    disposeRun(run, init);
  });

  it('keeps λ for a ratio between ¼ and ¾, and without autoLambda', () => {
    const optimizer = hessianFree({ lambda: 0.5, maxIterations: 20, tolerance: 1e-5 });
    // The actual change is half the predicted one: ratio ½.
    let predictedHalf = 0;
    const run = runSteps(optimizer, init, 1, (params, step) => {
      const g = gradient(flatten(params));
      const z = solveLinearSystem(damped(0.5), g.map((v) => -v));
      predictedHalf = 0.5 * (dot(g, z) + 0.5 * dot(z, matVec(G, z)));
      return new ScriptedLossContext(regression, params, step, (before) => before + predictedHalf);
    });
    expect(run.traces[0].ratio).toBeCloseTo(0.5, 3);
    expect(run.state.lambda).toBe(0.5);
    disposeRun(run, init);

    const fixed = hessianFree({ lambda: 0.5, autoLambda: false });
    const fixedRun = runSteps(fixed, init, 2, contextsFor(regression));
    expect(fixedRun.state.lambda).toBe(0.5);
    expect(fixedRun.traces[1].ratio).toBeUndefined();
    disposeRun(fixedRun, init);
  });

  it('warm-starts CG from decay × the previous solution (one iteration from there, checked in float64)', () => {
    const optimizer = hessianFree({ lambda: 0.5, maxIterations: 1, tolerance: 0, warmStartDecay: 0.9 });
    const run = runSteps(optimizer, init, 2, contextsFor(regression));
    const [w1, w2] = run.trajectory;
    const z1 = w1.map((w, i) => w - theta0[i]);
    // Step 1 (λ as the trace says): x0 = 0.9·z1, r0 = −∇L(w1) − A·x0, one CG step x = x0 + (r0ᵀr0 / r0ᵀA·r0)·r0.
    const A = damped(run.traces[1].lambda);
    const x0 = z1.map((v) => 0.9 * v);
    const Ax0 = matVec(A, x0);
    const r0 = gradient(w1).map((g, i) => -g - Ax0[i]);
    const alpha = dot(r0, r0) / dot(r0, matVec(A, r0));
    const expected = w1.map((w, i) => w + x0[i] + alpha * r0[i]);
    expectAllClose(w2, expected, 1e-5, 'w after step 1');
    expect(run.traces[1].cgIterations).toBe(1);
    disposeRun(run, init);
  });

  it('reaches the least-squares solution in a few steps', () => {
    const leastSquares = solveLinearSystem(transpose(Z).map((a) => transpose(Z).map((b) => dot(a, b))), matVec(transpose(Z), t));
    const optimizer = hessianFree({});
    const run = runSteps(optimizer, init, 8, contextsFor(regression));
    expectAllClose(run.trajectory[7], leastSquares, 1e-5, 'θ after 8 steps');
    disposeRun(run, init);
  });
});
