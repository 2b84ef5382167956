import { describe, expect, it } from 'vitest';
import { pseudoInverseSolve2x2 } from './pseudoInverse2x2';

function expectPair(actual: [number, number], expected: [number, number], tolerance = 1e-12): void {
  expect(Math.abs(actual[0] - expected[0])).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual[1] - expected[1])).toBeLessThanOrEqual(tolerance);
}

describe('pseudoInverseSolve2x2', () => {
  it('is the inverse for a non-singular matrix', () => {
    // [[4, 1], [1, 3]]⁻¹ = [[3, −1], [−1, 4]] / 11
    expectPair(pseudoInverseSolve2x2(4, 1, 3, 1, 2), [1 / 11, 7 / 11]);
  });

  it('handles an indefinite matrix', () => {
    expectPair(pseudoInverseSolve2x2(1, 0, -2, 1, 1), [1, -0.5]);
  });

  it('gives a pure first-coordinate solution when the second row and column are zero (CurveBall step 0)', () => {
    const m = pseudoInverseSolve2x2(5, 0, 0, 2, 0);
    expectPair(m, [0.4, 0]);
    expect(Object.is(m[1], -0)).toBe(false);
  });

  it('is the Moore-Penrose inverse for a rank-1 matrix', () => {
    // A = vvᵀ with v = (1, 2): pinv(A) = vvᵀ/|v|⁴ = A/25; pinv(A)·(3, 1) = (5, 10)/25
    expectPair(pseudoInverseSolve2x2(1, 2, 4, 3, 1), [0.2, 0.4]);
  });

  it('treats eigenvalues below 1e-15 of the largest as zero, and keeps larger ones', () => {
    expectPair(pseudoInverseSolve2x2(1, 0, 1e-16, 1, 1), [1, 0]);
    expectPair(pseudoInverseSolve2x2(1, 0, 1e-14, 1, 1e-14), [1, 1], 1e-9);
  });

  it('returns zero for a zero or non-finite matrix', () => {
    expectPair(pseudoInverseSolve2x2(0, 0, 0, 1, 1), [0, 0]);
    expectPair(pseudoInverseSolve2x2(Number.NaN, 0, 1, 1, 1), [0, 0]);
  });
});
