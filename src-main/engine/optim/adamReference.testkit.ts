/** Test support: Adam written out on scalars, independent of the tensor implementation. */

export const adamGradients = [
  [1, -2],
  [0.5, 1],
  [-1, 0.25],
];

/** Adam on one scalar weight, written out from Kingma & Ba's Algorithm 1 in float64. */
export function adamScalarUpdates(gs: number[], lr: number, b1: number, b2: number, eps: number): number[] {
  let m = 0;
  let v = 0;
  return gs.map((g, i) => {
    const t = i + 1;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    return (-lr * mHat) / (Math.sqrt(vHat) + eps);
  });
}

export function perStep(columns: number[][]): number[][] {
  return columns[0].map((_, step) => columns.map((c) => c[step]));
}
