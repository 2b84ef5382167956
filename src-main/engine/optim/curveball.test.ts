import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { disposeParams, type Params } from '../params';
import { meanSquaredError } from '../losses/meanSquaredError';
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import { curveballDefinition, type CurveBallState } from './curveball';
import { momentumDefinition } from './momentum';
import type { OptimizerOptions } from './defineOptimizer';
import type { Optimizer } from './optimizer';
import { dot, matVec, solveLinearSystem, transpose } from './denseLinearAlgebra.testkit';
import {
  BIAS,
  KERNEL,
  LinearModelStepContext,
  ScriptedLossContext,
  classificationProblem,
  randomLinearParams,
  regressionProblem,
  type LinearProblem,
} from './linearModelStepContext.testkit';
import { tensorsIn } from './tensorsIn';
import { disposeRun, flatten, runSteps } from './trainingLoop.testkit';

const regression = regressionProblem(11, 32, 4, meanSquaredError);
const classification = classificationProblem(21, 8, 3, 3, softmaxCrossEntropy);
afterAll(() => {
  regression.dispose();
  classification.dispose();
});

const curveball = (options: OptimizerOptions) => curveballDefinition.create(options) as Optimizer<CurveBallState>;
const contextsFor = (problem: LinearProblem) => (params: Params, step: number) => new LinearModelStepContext(problem, params, step);

/** Rows [x, 1] of the regression design matrix, so that θ = (kernel, bias) and y = Z·θ. */
const Z = regression.xRows.map((row) => [...row, 1]);
const t = regression.targetRows.map((r) => r[0]);
const N = Z.length;

/** ∇L(θ) = (2/N)·Zᵀ(Zθ − t) for the mean squared error, in float64. */
function regressionGradient(theta: number[]): number[] {
  const r = matVec(Z, theta).map((y, i) => (2 * (y - t[i])) / N);
  return matVec(transpose(Z), r);
}

/** ∇ᵀ(JᵀH_L·J)∇ = (2/N)·|Z∇|² for the mean squared error. */
function gaussNewtonQuadraticForm(v: number[]): number {
  const Zv = matVec(Z, v);
  return (2 / N) * dot(Zv, Zv);
}

function expectAllClose(actual: number[], expected: number[], tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `${what}[${i}]: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance));
}

describe('curveball', () => {
  it('without the Hessian term, with fixed lr/momentum and λ = 0, is heavy-ball momentum SGD', () => {
    const init = randomLinearParams(3, 3, 3);
    const steps = 10;
    const options = { hessianTerm: false, lr: 0.5, momentum: 0.9, lambda: 0, autoLambda: false };
    const cb = runSteps(curveball(options), init, steps, contextsFor(classification));
    const mom = runSteps(momentumDefinition.create({ lr: 0.5, momentum: 0.9 }), init, steps, contextsFor(classification));

    // The same recurrence written out by hand: buf ← 0.9·buf + ∇L, w ← w − 0.5·buf.
    let params: Params = init;
    let buffer = flatten(init).map(() => 0);
    const handWritten: number[][] = [];
    for (let step = 0; step < steps; step++) {
      const ctx = new LinearModelStepContext(classification, params, step);
      const g = flatten(ctx.gradient());
      ctx.dispose();
      buffer = buffer.map((b, i) => 0.9 * b + g[i]);
      const w = flatten(params).map((wi, i) => wi - 0.5 * buffer[i]);
      if (params !== init) disposeParams(params);
      params = { [KERNEL]: tf.tensor2d(w.slice(0, 9), [3, 3]), [BIAS]: tf.tensor1d(w.slice(9)) };
      handWritten.push(w);
    }
    disposeParams(params);

    for (let step = 0; step < steps; step++) {
      expectAllClose(cb.trajectory[step], handWritten[step], 1e-5, `hand-written loop, step ${step}`);
      expectAllClose(cb.trajectory[step], mom.trajectory[step], 1e-5, `momentum optimizer, step ${step}`);
      expect(cb.traces[step]).toEqual({ rho: 0.9, beta: 0.5, lambda: 0 });
    }
    // Something actually moved.
    expect(Math.abs(handWritten[steps - 1][0] - flatten(init)[0])).toBeGreaterThan(0.05);
    disposeRun(cb, init);
    disposeRun(mom, init);
    disposeParams(init);
  });

  it('without the Hessian term and with fixed lr/momentum it needs only the gradient', () => {
    const init = randomLinearParams(3, 3, 3);
    const optimizer = curveball({ hessianTerm: false, lr: 0.1, momentum: 0.5, autoLambda: false });
    const state = optimizer.init(init, { totalSteps: 1, stepsPerEpoch: 1 });
    const ctx = new LinearModelStepContext(classification, init, 0);
    const result = optimizer.update(ctx, state, init);
    expect(ctx.calls).toEqual({ gradient: 1, jvp: 0, vjp: 0, lossAt: 0 });
    tf.dispose([...Object.values(result.updates), ...tensorsIn(state), ...tensorsIn(result.state)]);
    ctx.dispose();
    disposeParams(init);
  });

  it('converges to the least-squares solution on linear regression (a convex quadratic)', () => {
    const ZtZ = transpose(Z).map((col) => transpose(Z).map((col2) => dot(col, col2)));
    const leastSquares = solveLinearSystem(ZtZ, matVec(transpose(Z), t));
    const init = randomLinearParams(5, 4, 1);
    const optimizer = curveball({});
    const run = runSteps(optimizer, init, 60, contextsFor(regression));
    expectAllClose(run.trajectory[59], leastSquares, 1e-6, 'θ after 60 steps');
    disposeRun(run, init);
    disposeParams(init);
  });

  it('first step: ρ = 0 and β is the exact line search along the gradient', () => {
    const init = randomLinearParams(5, 4, 1);
    const theta0 = flatten(init);
    const g = regressionGradient(theta0);
    for (const lambda of [1, 0.1]) {
      // β = ∇ᵀ∇ / ∇ᵀ(JᵀH_L·J + λI)∇, and then z = −β·∇
      const beta = dot(g, g) / (gaussNewtonQuadraticForm(g) + lambda * dot(g, g));
      const optimizer = curveball({ lambda });
      const run = runSteps(optimizer, init, 1, contextsFor(regression));
      expect(run.traces[0].rho).toBe(0);
      expect(Math.abs(run.traces[0].beta / beta - 1)).toBeLessThan(1e-5);
      expectAllClose(run.trajectory[0], theta0.map((w, i) => w - beta * g[i]), 1e-5, 'w after step 0');
      disposeRun(run, init);
    }
    disposeParams(init);
  });

  it('reports the model-fit ratio exactly on the steps it evaluates it', () => {
    const init = randomLinearParams(5, 4, 1);
    const cases: { options: OptimizerOptions; steps: number; evaluated: number[] }[] = [
      { options: {}, steps: 12, evaluated: [0, 5, 10] },
      { options: { lambdaInterval: 3 }, steps: 7, evaluated: [0, 3, 6] },
      { options: { interleave: 2, lambdaInterval: 4 }, steps: 10, evaluated: [0, 4, 8] },
      { options: { autoLambda: false }, steps: 6, evaluated: [] },
    ];
    for (const { options, steps, evaluated } of cases) {
      const optimizer = curveball(options);
      const contexts: LinearModelStepContext[] = [];
      const run = runSteps(optimizer, init, steps, (params, step) => {
        const ctx = new LinearModelStepContext(regression, params, step);
        contexts.push(ctx);
        return ctx;
      });
      const withRatio = run.traces.flatMap((trace, step) => ('ratio' in trace ? [step] : []));
      expect(withRatio, JSON.stringify(options)).toEqual(evaluated);
      // Each evaluation costs one re-evaluation of the loss, and only those.
      const lossAtSteps = contexts.flatMap((ctx, step) => (ctx.calls.lossAt > 0 ? [step] : []));
      expect(lossAtSteps).toEqual(evaluated);
      const adapts = options.autoLambda !== false;
      for (const trace of run.traces) {
        const expected = ['beta', 'lambda', 'rho', ...('ratio' in trace ? ['ratio'] : []), ...(adapts ? ['lambdaChanges'] : [])];
        expect(Object.keys(trace).sort()).toEqual(expected.sort());
      }
      disposeRun(run, init);
    }
    disposeParams(init);
  });
});

describe('curveball λ adaptation', () => {
  const init = randomLinearParams(5, 4, 1);
  const theta0 = flatten(init);
  const g = regressionGradient(theta0);
  afterAll(() => disposeParams(init));

  /** One step from `init` with the given options and re-evaluated loss; returns the trace and new λ. */
  function firstStep(options: OptimizerOptions, scripted?: (lossBefore: number) => number) {
    const optimizer = curveball(options);
    const run = runSteps(optimizer, init, 1, (params, step) =>
      scripted ? new ScriptedLossContext(regression, params, step, scripted) : new LinearModelStepContext(regression, params, step),
    );
    const result = { trace: run.traces[0], lambda: run.state.lambda };
    disposeRun(run, init);
    return result;
  }

  it('keeps λ when the quadratic model predicts the loss well (ratio ≈ 1)', () => {
    // On a quadratic the only misfit is the damping: with z = 0, the step −β∇ changes the loss by
    // −β|∇|² + ½β²·∇ᵀG∇ while the damped model predicts −½β|∇|².
    const lambda = 0.01;
    const beta = dot(g, g) / (gaussNewtonQuadraticForm(g) + lambda * dot(g, g));
    const expectedRatio = (-beta * dot(g, g) + 0.5 * beta * beta * gaussNewtonQuadraticForm(g)) / (-0.5 * beta * dot(g, g));
    const { trace, lambda: newLambda } = firstStep({ lambda });
    expect(trace.ratio).toBeCloseTo(expectedRatio, 3);
    expect(trace.ratio).toBeGreaterThan(0.9);
    expect(newLambda).toBe(lambda);
  });

  it('grows λ by 1/factor^interval when the loss rises (ratio < low)', () => {
    const { trace, lambda } = firstStep({ lambda: 2 }, (before) => before + 1);
    const predicted = -0.5 * trace.beta * dot(g, g);
    expect(trace.ratio).toBeCloseTo(1 / predicted, 4);
    expect(trace.ratio).toBeLessThan(0.5);
    expect(lambda).toBeCloseTo(2 / 0.999 ** 5, 12);
  });

  it('shrinks λ by factor^interval when the loss falls far more than predicted (ratio > high)', () => {
    const { trace, lambda } = firstStep({ lambda: 2, lambdaFactor: 0.9, lambdaInterval: 2 }, (before) => before - 1000);
    const predicted = -0.5 * trace.beta * dot(g, g);
    expect(trace.ratio).toBeCloseTo(-1000 / predicted, 1);
    expect(trace.ratio).toBeGreaterThan(1.5);
    expect(lambda).toBeCloseTo(2 * 0.9 ** 2, 12);
  });

  it('counts the adaptations that changed λ, and only those', () => {
    const rose = runSteps(curveball({ lambdaInterval: 1 }), init, 3, (params, step) => new ScriptedLossContext(regression, params, step, (before) => before + 1));
    expect(rose.traces.map((t) => t.lambdaChanges)).toEqual([1, 2, 3]);
    disposeRun(rose, init);
    // λ = 0.01 fits well (ratio ≈ 1, as above): nothing changes in the first steps, and the count says so.
    const fitted = runSteps(curveball({ lambda: 0.01 }), init, 6, contextsFor(regression));
    expect(fitted.traces.map((t) => t.lambdaChanges)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(fitted.traces.map((t) => t.lambda)).toEqual(Array(6).fill(0.01));
    disposeRun(fitted, init);
  });

  it('leaves λ alone without autoLambda, whatever the loss does', () => {
    const { trace, lambda } = firstStep({ lambda: 2, autoLambda: false }, (before) => before + 1);
    expect(trace.ratio).toBeUndefined();
    expect(lambda).toBe(2);
  });

  it('with fixed lr/momentum predicts the change by the general quadratic −m·b + ½mᵀAm (ratio = 1 on an undamped quadratic)', () => {
    // λ = 0 on a quadratic loss: the model is exact for any β and ρ, so the ratio is 1 on every step.
    const optimizer = curveball({ lambda: 0, lr: 0.3, momentum: 0.6, lambdaInterval: 1 });
    const run = runSteps(optimizer, init, 5, contextsFor(regression));
    for (const trace of run.traces) expect(trace.ratio).toBeCloseTo(1, 3);
    disposeRun(run, init);
  });

  it('automatic steps on an undamped quadratic also fit exactly (ratio = 1)', () => {
    const optimizer = curveball({ lambda: 0, lambdaInterval: 1 });
    const run = runSteps(optimizer, init, 4, contextsFor(regression));
    for (const trace of run.traces) expect(trace.ratio).toBeCloseTo(1, 3);
    disposeRun(run, init);
  });
});

describe('curveball interleaving', () => {
  it('runs momentum SGD between CurveBall steps with the running means of β and ρ', () => {
    const init = randomLinearParams(3, 3, 3);
    const optimizer = curveball({ interleave: 2, autoLambda: false });
    const run = runSteps(optimizer, init, 4, contextsFor(classification));
    const [t0, t1, t2, t3] = run.traces;
    // SGD steps report the averaged lr and momentum they used: means over the CurveBall steps so far.
    expect(t1.beta).toBeCloseTo(t0.beta, 12);
    expect(t1.rho).toBe(0);
    expect(t3.beta).toBeCloseTo((t0.beta + t2.beta) / 2, 12);
    expect(t3.rho).toBeCloseTo((t0.rho + t2.rho) / 2, 12);

    // Step 1: buf = ∇L(w1), Δw = −β̄·buf.  Step 3: buf = ρ̄·∇L(w1) + ∇L(w3), Δw = −β̄·buf.
    const gradientAt = (w: number[]): number[] => {
      const params = { [KERNEL]: tf.tensor2d(w.slice(0, 9), [3, 3]), [BIAS]: tf.tensor1d(w.slice(9)) };
      const ctx = new LinearModelStepContext(classification, params, 0);
      const grad = flatten(ctx.gradient());
      ctx.dispose();
      disposeParams(params);
      return grad;
    };
    const [w1, w2, w3, w4] = run.trajectory;
    const g1 = gradientAt(w1);
    const g3 = gradientAt(w3);
    expectAllClose(w2, w1.map((w, i) => w - t1.beta * g1[i]), 1e-6, 'after SGD step 1');
    expectAllClose(w4, w3.map((w, i) => w - t3.beta * (t3.rho * g1[i] + g3[i])), 1e-6, 'after SGD step 3');
    // The CurveBall step 2 continues from z of step 0 (w1 − w0), which the SGD step left alone.
    expect(t2.rho).not.toBe(0);
    disposeRun(run, init);
    disposeParams(init);
  });

  it('after interleaveWindow CurveBall steps the averages become exponential with rate 1/window', () => {
    const init = randomLinearParams(3, 3, 3);
    const optimizer = curveball({ interleave: 2, interleaveWindow: 2, autoLambda: false });
    const run = runSteps(optimizer, init, 8, contextsFor(classification));
    const cb = [0, 2, 4, 6].map((s) => run.traces[s]);
    // means: step 1 → β0; step 3 → (β0+β2)/2; step 5 → ½·avg3 + ½·β4; step 7 → ½·avg5 + ½·β6
    let avg = cb[0].beta;
    expect(run.traces[1].beta).toBeCloseTo(avg, 12);
    avg = (cb[0].beta + cb[1].beta) / 2;
    expect(run.traces[3].beta).toBeCloseTo(avg, 12);
    avg = 0.5 * avg + 0.5 * cb[2].beta;
    expect(run.traces[5].beta).toBeCloseTo(avg, 12);
    avg = 0.5 * avg + 0.5 * cb[3].beta;
    expect(run.traces[7].beta).toBeCloseTo(avg, 12);
    disposeRun(run, init);
    disposeParams(init);
  });
});
