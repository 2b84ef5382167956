import { expect } from 'vitest';

/**
 * Hand-worked values of the root-of-squares ops (rootOfSquares.ts), NaN, infinities and zeros included
 * as TF.js's Square, Multiply, Add, Sqrt and RealDiv define them, for every backend's tests to hold
 * their kernels to. One alpha, beta or epsilon per case, as one kernel call has.
 */

export interface AxpbySquareCase {
  alpha: number;
  beta: number;
  a: number[];
  b: number[];
  expected: number[];
}

export const axpbySquareCases: AxpbySquareCase[] = [
  // 0.9·1 + 0.1·2² = 1.3; the sign of b is lost; ∞ in either input gives ∞; NaN in either gives NaN.
  { alpha: 0.9, beta: 0.1, a: [1, 0, -2, 0, Infinity, NaN, 1], b: [2, -3, 0, Infinity, 1, 1, NaN], expected: [1.3, 0.9, -1.8, Infinity, Infinity, NaN, NaN] },
  // Adagrad's sum: 3 + (−2)² = 7; −∞ + ∞ is NaN.
  { alpha: 1, beta: 1, a: [3, -Infinity, 0.5], b: [-2, Infinity, 0.5], expected: [7, NaN, 0.75] },
];

export interface DivideByRootCase {
  epsilon: number;
  a: number[];
  b: number[];
  expected: number[];
}

export const divideByRootCases: DivideByRootCase[] = [
  // 6/(√4 + 1) = 2; 0/(√0 + 1) = 0; 1/(√0 + 1) = 1; x/√∞ = 0; ∞/(√4 + 1) = ∞; √−1 and NaN inputs give NaN; −2/(√9 + 1).
  { epsilon: 1, a: [6, 0, 1, 3, Infinity, 1, NaN, 1, -2], b: [4, 0, 0, Infinity, 4, -1, 1, NaN, 9], expected: [2, 0, 1, 0, Infinity, NaN, NaN, NaN, -0.5] },
  // ε = 0: 0/0 is NaN, ±1/0 is ±∞, 2/√0.25 = 4.
  { epsilon: 0, a: [0, 1, -1, 2], b: [0, 0, 0, 0.25], expected: [NaN, Infinity, -Infinity, 4] },
  // A small ε keeps 0/(√0 + ε) at 0 and bounds 1e−3/(√0 + ε) by 1e5.
  { epsilon: 1e-8, a: [0, 1e-3, -3, 1e-3], b: [0, 0, 2.25, 1e-6], expected: [0, 1e5, -2, 1e-3 / (1e-3 + 1e-8)] },
];

/** Non-finite values exactly (NaN as NaN), finite ones to float32 rounding of a few operations. */
export function expectValues(actual: ArrayLike<number>, expected: number[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  expected.forEach((e, i) => {
    const got = actual[i];
    if (Number.isFinite(e)) expect(Math.abs(got - e), `${label} [${i}]: ${got} vs ${e}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
    else expect(Object.is(got, e), `${label} [${i}]: ${got} vs ${e}`).toBe(true);
  });
}
