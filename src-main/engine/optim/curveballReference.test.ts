/**
 * CurveBall against an independent float64 implementation for a linear softmax classifier, written here
 * from the paper's equations with explicit Jacobian products and the loss Hessian per row.
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
}

function referenceCurveBall(
  theta0: number[],
  steps: number,
  o: { lambda: number; autoLambda: boolean; factor: number; low: number; high: number; interval: number },
): ReferenceStep[] {
  let theta = theta0.slice();
  let z = theta.map(() => 0);
  let lambda = o.lambda;
  const out: ReferenceStep[] = [];
  for (let step = 0; step < steps; step++) {
    const p = softmaxRows(outputs(theta));
    const g = p.map((row, i) => row.map((pk, k) => (pk - (k === problem.labels[i] ? 1 : 0)) / N));
    const H = (V: number[][]) => V.map((v, i) => v.map((vk, k) => (p[i][k] * vk - p[i][k] * dot(p[i], v)) / N));
    const Jz = jvp(z);
    const HJz = H(Jz);
    const dz = vjp(HJz.map((row, i) => row.map((h, k) => h + g[i][k]))).map((v, i) => v + lambda * z[i]);
    const Jdz = jvp(dz);
    const HJdz = H(Jdz);
    const a11 = lambda * dot(dz, dz) + flatDot(Jdz, HJdz);
    const a12 = lambda * dot(dz, z) + flatDot(Jz, HJdz);
    const a22 = lambda * dot(z, z) + flatDot(Jz, HJz);
    const b1 = flatDot(g, Jdz);
    const b2 = flatDot(g, Jz);
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
    const lossBefore = loss(theta);
    theta = theta.map((w, i) => w + z[i]);
    const record: ReferenceStep = { theta, beta, rho, lambda };
    if (o.autoLambda && step % o.interval === 0) {
      const ratio = (loss(theta) - lossBefore) / (-0.5 * (m0 * b1 + m1 * b2));
      record.ratio = ratio;
      if (ratio < o.low) lambda /= o.factor ** o.interval;
      if (ratio > o.high) lambda *= o.factor ** o.interval;
    }
    out.push(record);
  }
  return out;
}

describe('curveball against a float64 reference (linear softmax)', () => {
  const cases: { name: string; options: OptimizerOptions; reference: Parameters<typeof referenceCurveBall>[2] }[] = [
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
  ];

  for (const { name, options, reference } of cases) {
    it(`follows the reference trajectory for 10 steps (${name})`, () => {
      const init = randomLinearParams(7, D, C, 0.3);
      const steps = 10;
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
      }
      disposeRun(run, init);
      disposeParams(init);
    });
  }
});
