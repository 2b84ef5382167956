/**
 * CurveBall against an independent float64 implementation for a linear softmax classifier, written here
 * from the paper's equations with explicit Jacobian products and the loss Hessian per row; with weight
 * decay wd, the same equations for the objective F(θ) = L(θ) + (wd/2)·|θ|² (gradient Jᵀg + wd·θ,
 * Gauss-Newton matrix JᵀH_L·J + wd·I).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { disposeParams } from '../params';
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import { curveballDefinition, type CurveBallState } from './curveball';
import type { OptimizerOptions } from './defineOptimizer';
import type { Optimizer } from './optimizer';
import { dot, matMul, rows, transpose } from './denseLinearAlgebra.testkit';
import { LinearModelStepContext, classificationProblem, randomLinearParams } from './linearModelStepContext.testkit';
import { disposeRun, flatten, runSteps } from './trainingLoop.testkit';

const D = 3;
const C = 3;
const problem = classificationProblem(31, 10, D, C, softmaxCrossEntropy);
afterAll(() => problem.dispose());
const X = problem.xRows;
const N = X.length;

/** θ = [W row-major (D×C), b (C)]. */
function outputs(theta: number[]): number[][] {
  const W = rows(theta.slice(0, D * C), C);
  return matMul(X, W).map((row) => row.map((y, k) => y + theta[D * C + k]));
}
function softmaxRows(y: number[][]): number[][] {
  return y.map((row) => {
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}
function loss(theta: number[]): number {
  const p = softmaxRows(outputs(theta));
  return -p.reduce((s, row, i) => s + Math.log(row[problem.labels[i]]), 0) / N;
}
/** J·dθ = X·dW + db */
function jvp(d: number[]): number[][] {
  return outputs(d);
}
/** Jᵀ·U = (XᵀU, Σ_rows U) */
function vjp(U: number[][]): number[] {
  const dW = matMul(transpose(X), U).flat();
  const db = U[0].map((_, k) => U.reduce((s, row) => s + row[k], 0));
  return [...dW, ...db];
}
const flatDot = (a: number[][], b: number[][]) => dot(a.flat(), b.flat());

interface ReferenceStep {
  theta: number[];
  beta: number;
  rho: number;
  lambda: number;
  ratio?: number;
  lambdaChanges: number;
}

interface ReferenceOptions {
  lambda: number;
  autoLambda: boolean;
  factor: number;
  low: number;
  high: number;
  interval: number;
  /** Defaults: no weight decay, the loss Hessian in the model, no interleaved SGD steps. */
  weightDecay?: number;
  hessianTerm?: boolean;
  interleave?: number;
}

function referenceCurveBall(theta0: number[], steps: number, o: ReferenceOptions): ReferenceStep[] {
  const wd = o.weightDecay ?? 0;
  const interleave = o.interleave ?? 1;
  const objective = (theta: number[]) => loss(theta) + (wd / 2) * dot(theta, theta);
  let theta = theta0.slice();
  let z = theta.map(() => 0);
  let sgdBuffer = theta.map(() => 0);
  let lambda = o.lambda;
  let lambdaChanges = 0;
  let curveballSteps = 0;
  let averageBeta = 0;
  let averageRho = 0;
  const out: ReferenceStep[] = [];
  for (let step = 0; step < steps; step++) {
    const p = softmaxRows(outputs(theta));
    const g = p.map((row, i) => row.map((pk, k) => (pk - (k === problem.labels[i] ? 1 : 0)) / N));
    if (step % interleave !== 0) {
      // Heavy-ball SGD on F with the mean β and ρ of the CurveBall steps so far (fewer than 100 here).
      const gradF = vjp(g).map((v, i) => v + wd * theta[i]);
      sgdBuffer = sgdBuffer.map((b, i) => averageRho * b + gradF[i]);
      theta = theta.map((w, i) => w - averageBeta * sgdBuffer[i]);
      out.push({ theta, beta: averageBeta, rho: averageRho, lambda, lambdaChanges });
      continue;
    }
    const H = (V: number[][]) =>
      V.map((v, i) => v.map((vk, k) => (o.hessianTerm === false ? 0 : (p[i][k] * vk - p[i][k] * dot(p[i], v)) / N)));
    const Jz = jvp(z);
    const HJz = H(Jz);
    const damping = lambda + wd;
    const dz = vjp(HJz.map((row, i) => row.map((h, k) => h + g[i][k]))).map((v, i) => v + wd * theta[i] + damping * z[i]);
    const Jdz = jvp(dz);
    const HJdz = H(Jdz);
    const a11 = damping * dot(dz, dz) + flatDot(Jdz, HJdz);
    const a12 = damping * dot(dz, z) + flatDot(Jz, HJdz);
    const a22 = damping * dot(z, z) + flatDot(Jz, HJz);
    const b1 = flatDot(g, Jdz) + wd * dot(theta, dz);
    const b2 = flatDot(g, Jz) + wd * dot(theta, z);
    // Minimum-norm solution of A·m = b: Cramer's rule, or, when z = 0 makes A = [[a11, 0], [0, 0]], m = (b1/a11, 0).
    let m0: number;
    let m1: number;
    if (a12 === 0 && a22 === 0) {
      m0 = b1 / a11;
      m1 = 0;
    } else {
      const det = a11 * a22 - a12 * a12;
      m0 = (a22 * b1 - a12 * b2) / det;
      m1 = (a11 * b2 - a12 * b1) / det;
    }
    const beta = m0;
    const rho = -m1;
    z = z.map((zi, i) => rho * zi - beta * dz[i]);
    const objectiveBefore = objective(theta);
    theta = theta.map((w, i) => w + z[i]);
    const record: ReferenceStep = { theta, beta, rho, lambda, lambdaChanges };
    if (o.autoLambda && step % o.interval === 0) {
      const ratio = (objective(theta) - objectiveBefore) / (-0.5 * (m0 * b1 + m1 * b2));
      record.ratio = ratio;
      if (ratio < o.low) lambda /= o.factor ** o.interval;
      if (ratio > o.high) lambda *= o.factor ** o.interval;
      if (ratio < o.low || ratio > o.high) record.lambdaChanges = ++lambdaChanges;
    }
    curveballSteps++;
    averageBeta += (beta - averageBeta) / curveballSteps;
    averageRho += (rho - averageRho) / curveballSteps;
    out.push(record);
  }
  return out;
}

describe('curveball against a float64 reference (linear softmax)', () => {
  const automatic = { lambda: 0.5, lambdaFactor: 0.8, lambdaLow: 0.95, lambdaHigh: 1.05, lambdaInterval: 2 };
  const automaticReference = { lambda: 0.5, autoLambda: true, factor: 0.8, low: 0.95, high: 1.05, interval: 2 };
  // With weight decay the objective levels off within a few steps; after that F's change per step is a
  // small difference of float32 losses, and the fit ratio mostly their rounding: those runs stop at 7.
  const cases: { name: string; options: OptimizerOptions; reference: ReferenceOptions; steps?: number }[] = [
    {
      name: 'fixed λ',
      options: { lambda: 0.5, autoLambda: false },
      reference: { lambda: 0.5, autoLambda: false, factor: 1, low: 0, high: 0, interval: 1 },
    },
    {
      name: 'automatic λ',
      options: { lambda: 0.5, lambdaFactor: 0.8, lambdaLow: 0.95, lambdaHigh: 1.05, lambdaInterval: 2 },
      reference: { lambda: 0.5, autoLambda: true, factor: 0.8, low: 0.95, high: 1.05, interval: 2 },
    },
    {
      name: 'weight decay, fixed λ',
      options: { lambda: 0.5, autoLambda: false, weightDecay: 0.05 },
      reference: { lambda: 0.5, autoLambda: false, factor: 1, low: 0, high: 0, interval: 1, weightDecay: 0.05 },
    },
    {
      name: 'weight decay, automatic λ',
      options: { ...automatic, weightDecay: 0.05 },
      reference: { ...automaticReference, weightDecay: 0.05 },
      steps: 7,
    },
    {
      name: 'weight decay without the Hessian term',
      options: { ...automatic, weightDecay: 0.05, hessianTerm: false },
      reference: { ...automaticReference, weightDecay: 0.05, hessianTerm: false },
      steps: 7,
    },
    {
      name: 'weight decay with interleaved SGD steps',
      options: { ...automatic, weightDecay: 0.05, interleave: 2 },
      reference: { ...automaticReference, weightDecay: 0.05, interleave: 2 },
      steps: 7,
    },
  ];

  for (const { name, options, reference, steps = 10 } of cases) {
    it(`follows the reference trajectory for ${steps} steps (${name})`, () => {
      const init = randomLinearParams(7, D, C, 0.3);
      const expected = referenceCurveBall(flatten(init), steps, reference);
      const optimizer = curveballDefinition.create(options) as Optimizer<CurveBallState>;
      const run = runSteps(optimizer, init, steps, (params, step) => new LinearModelStepContext(problem, params, step));
      for (let step = 0; step < steps; step++) {
        const e = expected[step];
        const trace = run.traces[step];
        const scale = Math.max(1, ...e.theta.map(Math.abs));
        run.trajectory[step].forEach((w, i) =>
          expect(Math.abs(w - e.theta[i]), `step ${step}, weight ${i}: ${w} vs ${e.theta[i]}`).toBeLessThan(2e-5 * scale),
        );
        expect(Math.abs(trace.beta - e.beta), `β at step ${step}`).toBeLessThan(1e-4 * Math.abs(e.beta));
        expect(Math.abs(trace.rho - e.rho), `ρ at step ${step}`).toBeLessThan(1e-4);
        expect(trace.lambda, `λ at step ${step}`).toBeCloseTo(e.lambda, 10);
        if (e.ratio === undefined) expect(trace.ratio).toBeUndefined();
        else expect(Math.abs(trace.ratio - e.ratio), `ratio at step ${step}`).toBeLessThan(1e-3);
        expect(trace.lambdaChanges, `λ changes by step ${step}`).toBe(reference.autoLambda ? e.lambdaChanges : undefined);
      }
      disposeRun(run, init);
      disposeParams(init);
    });
  }
});
