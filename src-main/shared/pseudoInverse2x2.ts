/**
 * m = pinv(A)·b for a symmetric 2×2 matrix A = [[a11, a12], [a12, a22]], in float64, the way
 * torch.pinverse does it: eigenvalues (the singular values up to sign) whose magnitude is at most
 * 1e-15 × the largest are treated as zero. CurveBall relies on this on its first step, where z = 0 makes
 * A singular and the pseudo-inverse gives a pure gradient step (ρ = 0).
 *
 * A Jacobi rotation by θ = ½·atan2(2·a12, a11 − a22) diagonalises A exactly; its columns (c, s) and
 * (−s, c) are the eigenvectors. A non-finite A yields non-finite eigenvalues, which are dropped (m = 0).
 */
export function pseudoInverseSolve2x2(a11: number, a12: number, a22: number, b1: number, b2: number): [number, number] {
  const theta = 0.5 * Math.atan2(2 * a12, a11 - a22);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const eigen: { value: number; vector: [number, number] }[] = [
    { value: a11 * c * c + 2 * a12 * c * s + a22 * s * s, vector: [c, s] },
    { value: a11 * s * s - 2 * a12 * c * s + a22 * c * c, vector: [-s, c] },
  ];
  const cutoff = 1e-15 * Math.max(Math.abs(eigen[0].value), Math.abs(eigen[1].value));
  let m0 = 0;
  let m1 = 0;
  for (const { value, vector } of eigen) {
    if (!(Math.abs(value) > cutoff)) continue;
    const coefficient = (vector[0] * b1 + vector[1] * b2) / value;
    m0 += coefficient * vector[0];
    m1 += coefficient * vector[1];
  }
  return [m0, m1];
}
