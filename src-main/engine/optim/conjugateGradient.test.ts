import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { disposeParams, type Params } from '../params';
import { conjugateGradient } from './conjugateGradient';
import { solveLinearSystem } from './denseLinearAlgebra.testkit';

// A 6×6 SPD matrix M = BᵀB + I from a fixed B, split over two "parameters" of shapes [2, 2] and [2].
const B = [
  [2, -1, 0, 1, 0, 3],
  [0, 1, 2, -1, 1, 0],
  [1, 0, -1, 2, 0, 1],
  [3, 1, 0, 0, -2, 1],
  [0, 2, 1, 1, 1, -1],
  [1, -1, 1, 0, 2, 2],
];
const M = B.map((_, i) => B.map((__, j) => B.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? 1 : 0)));
const rhs = [1, -2, 0.5, 3, -1, 2];

function toParams(v: number[]): Params {
  return { a: tf.tensor2d(v.slice(0, 4), [2, 2]), b: tf.tensor1d(v.slice(4)) };
}
function fromParams(p: Params): number[] {
  return [...p.a.dataSync(), ...p.b.dataSync()];
}
const applyM = (p: Params): Params =>
  tf.tidy(() => {
    const v = tf.reshape(tf.concat([tf.reshape(p.a, [4]), p.b]), [6, 1]);
    const mv = tf.reshape(tf.matMul(tf.tensor2d(M), v), [6]);
    return { a: tf.reshape(tf.slice(mv, 0, 4), [2, 2]), b: tf.slice(mv, 4, 2) };
  });

describe('conjugateGradient', () => {
  const exact = solveLinearSystem(M, rhs);

  it('solves a 6×6 SPD system over two parameters to the tolerance', () => {
    const b = toParams(rhs);
    const x0 = toParams([0, 0, 0, 0, 0, 0]);
    const before = tf.memory().numTensors;
    const result = conjugateGradient(applyM, b, x0, { maxIterations: 30, tolerance: 1e-5 });
    expect(tf.memory().numTensors).toBe(before + 2); // only x
    expect(result.iterations).toBeGreaterThan(0);
    expect(result.iterations).toBeLessThanOrEqual(12);
    expect(result.relativeResidual).toBeLessThanOrEqual(1e-5);
    const x = fromParams(result.x);
    const scale = Math.max(...exact.map(Math.abs));
    x.forEach((xi, i) => expect(Math.abs(xi - exact[i])).toBeLessThan(1e-4 * scale));
    // The true residual agrees with the reported one.
    const Mx = M.map((row) => row.reduce((s, a, j) => s + a * x[j], 0));
    const trueResidual = Math.hypot(...Mx.map((v, i) => v - rhs[i])) / Math.hypot(...rhs);
    expect(trueResidual).toBeLessThan(1e-4);
    disposeParams(result.x);
    disposeParams(b);
    disposeParams(x0);
  });

  it('takes no iteration when warm-started at the solution', () => {
    const b = toParams(rhs);
    const x0 = toParams(exact);
    const result = conjugateGradient(applyM, b, x0, { maxIterations: 30, tolerance: 1e-5 });
    expect(result.iterations).toBe(0);
    fromParams(result.x).forEach((xi, i) => expect(xi).toBeCloseTo(exact[i], 5));
    disposeParams(result.x);
    disposeParams(b);
    disposeParams(x0);
  });

  it('stops after maxIterations and reports the residual it reached', () => {
    const b = toParams(rhs);
    const x0 = toParams([0, 0, 0, 0, 0, 0]);
    const one = conjugateGradient(applyM, b, x0, { maxIterations: 1, tolerance: 0 });
    expect(one.iterations).toBe(1);
    // One CG iteration from 0 is the exact line search along b: x = (bᵀb / bᵀMb)·b.
    const Mb = M.map((row) => row.reduce((s, a, j) => s + a * rhs[j], 0));
    const alpha = rhs.reduce((s, v) => s + v * v, 0) / rhs.reduce((s, v, i) => s + v * Mb[i], 0);
    fromParams(one.x).forEach((xi, i) => expect(xi).toBeCloseTo(alpha * rhs[i], 5));
    const r = rhs.map((v, i) => v - alpha * Mb[i]);
    expect(one.relativeResidual).toBeCloseTo(Math.hypot(...r) / Math.hypot(...rhs), 5);
    disposeParams(one.x);
    disposeParams(b);
    disposeParams(x0);
  });

  it('returns zero for a zero right-hand side', () => {
    const b = toParams([0, 0, 0, 0, 0, 0]);
    const x0 = toParams([1, 1, 1, 1, 1, 1]);
    const result = conjugateGradient(applyM, b, x0, { maxIterations: 5, tolerance: 1e-6 });
    expect(fromParams(result.x)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(result.iterations).toBe(0);
    disposeParams(result.x);
    disposeParams(b);
    disposeParams(x0);
  });
});
