import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { pseudoInverseSolve2x2 } from '../../shared/pseudoInverse2x2';
import { pseudoInverseSolve2x2OnDevice } from './pseudoInverse2x2OnDevice';

/** The device solve's [m0, m1], read back (the test's read; the solve itself reads nothing). */
function solveOnDevice(a11: number, a12: number, a22: number, b1: number, b2: number): number[] {
  return tf.tidy(() => {
    const [m0, m1] = pseudoInverseSolve2x2OnDevice(tf.scalar(a11), tf.scalar(a12), tf.scalar(a22), tf.scalar(b1), tf.scalar(b2));
    return [m0.dataSync()[0], m1.dataSync()[0]];
  });
}

function expectClose(actual: number[], expected: number[], digits = 5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a, `entry ${i}: ${actual} against ${expected}`).toBeCloseTo(expected[i], digits));
}

describe('pseudoInverseSolve2x2OnDevice', () => {
  it('solves a regular system as the inverse does, like the float64 solve', () => {
    // A = [[2, 1], [1, 3]], det 5, A⁻¹ = [[3, −1], [−1, 2]]/5; b = (1, 2): m = (1/5, 3/5).
    expectClose(solveOnDevice(2, 1, 3, 1, 2), [0.2, 0.6]);
    expectClose(pseudoInverseSolve2x2(2, 1, 3, 1, 2), [0.2, 0.6], 12);
  });

  it('the first step: z = 0 zeroes the second row and column, and m is a pure gradient step (m1 = 0, so ρ = 0)', () => {
    // A = [[4, 0], [0, 0]], b = (2, 0): pinv(A) = [[1/4, 0], [0, 0]], m = (1/2, 0).
    const m = solveOnDevice(4, 0, 0, 2, 0);
    expectClose(m, [0.5, 0]);
    expect(m[1]).toBe(0);
    expect(pseudoInverseSolve2x2(4, 0, 0, 2, 0)).toEqual([0.5, 0]);
  });

  it('a rank-one A (dz parallel to z) keeps only its nonzero eigenvalue, though float32 rounding leaves the other slightly off 0', () => {
    // A = u·uᵀ with u = (1, 3): eigenvalue 10 on u/√10, 0 on (−3, 1)/√10; b = (1, 1):
    // pinv(A)·b = u (uᵀb) / |u|⁴ = (1, 3)·4/100 = (0.04, 0.12).
    expectClose(solveOnDevice(1, 3, 9, 1, 1), [0.04, 0.12]);
    expectClose(pseudoInverseSolve2x2(1, 3, 9, 1, 1), [0.04, 0.12], 12);
    // Scaled as CurveBall's products may be, with the small eigenvalue's rounding noise amplified by 1e4.
    expectClose(solveOnDevice(1e4, 3e4, 9e4, 1e4, 1e4), [0.04, 0.12]);
  });

  it('a negative-definite direction is inverted like a positive one (the cutoff is on magnitudes)', () => {
    // A = diag(−2, 5), b = (1, 1): m = (−1/2, 1/5).
    expectClose(solveOnDevice(-2, 0, 5, 1, 1), [-0.5, 0.2]);
    expectClose(pseudoInverseSolve2x2(-2, 0, 5, 1, 1), [-0.5, 0.2], 12);
  });

  it('a non-finite or all-zero A gives m = 0', () => {
    expect(solveOnDevice(NaN, 0, 1, 1, 1)).toEqual([0, 0]);
    expect(solveOnDevice(Infinity, 0, 0, 1, 1)).toEqual([0, 0]);
    expect(solveOnDevice(0, 0, 0, 1, 1)).toEqual([0, 0]);
    expect(pseudoInverseSolve2x2(0, 0, 0, 1, 1)).toEqual([0, 0]);
  });

  it('leaves no tensor behind but its two results', () => {
    const inputs = [1, 2, 3, 4, 5].map((x) => tf.scalar(x));
    const before = tf.memory().numTensors;
    const m = pseudoInverseSolve2x2OnDevice(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([...m, ...inputs]);
  });
});
