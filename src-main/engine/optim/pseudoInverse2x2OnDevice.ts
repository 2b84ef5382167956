import { hasFusedKernel } from '../ops';
import { tf } from '../tf';

/**
 * Below this fraction of the largest eigenvalue's magnitude an eigenvalue counts as zero. pseudoInverseSolve2x2
 * uses torch.pinverse's 1e-15, which suits float64 only: in float32 (ε = 2⁻²³ ≈ 1.2e-7) an eigenvalue that
 * is zero in exact arithmetic (a rank-one A, dz parallel to z) comes out of the rotation as rounding noise
 * of order ε × the largest, and inverting that noise would make a huge, meaningless step. 2ε, which is
 * torch.linalg.pinv's float32 default (max(rows, columns)·ε), drops such noise and keeps every eigenvalue
 * that float32 resolves. An exactly singular A (the first step, where z = 0) loses its zero eigenvalue under
 * either cutoff, so that step stays a pure gradient step (ρ = 0).
 */
export const float32EigenvalueCutoff = 2 * 2 ** -23;

/**
 * The kernel a backend may register to run the solve below as one program (webgpu does: its dozens of
 * scalar ops are as many dispatches): float32 scalars a11, a12, a22, b1, b2 → [m0, m1], by the same steps.
 */
export const pseudoInverseSolve2x2KernelName = 'CurvelabPseudoInverseSolve2x2';

/**
 * pseudoInverseSolve2x2 on the device, in float32: m = pinv(A)·b for A = [[a11, a12], [a12, a22]], all
 * scalars that stay on the backend (nothing is read). The same Jacobi rotation and the same rule, with the
 * float32 cutoff above; a non-finite A gives m = 0 as there (its eigenvalues fail the cutoff test).
 * The rotation's cosine and sine come from half-angle formulas rather than atan2, cos and sin, which WGSL
 * computes only to about 2⁻¹¹ absolute (enough to move β and ρ by 1e-3 on an ill-conditioned A); sqrt and
 * division are accurate to a few ulp. Which of the two equivalent rotations this picks does not matter:
 * pinv(A) = Σ v·vᵀ/value is the same for either sign of each eigenvector.
 */
export function pseudoInverseSolve2x2OnDevice(
  a11: tf.Scalar,
  a12: tf.Scalar,
  a22: tf.Scalar,
  b1: tf.Scalar,
  b2: tf.Scalar,
): [tf.Scalar, tf.Scalar] {
  if (hasFusedKernel(pseudoInverseSolve2x2KernelName)) {
    return tf.engine().runKernel(pseudoInverseSolve2x2KernelName, { a11, a12, a22, b1, b2 }) as [tf.Scalar, tf.Scalar];
  }
  return tf.tidy(() => {
    // (cos 2θ, sin 2θ) = (a11 − a22, 2·a12) / r, scaled by the larger magnitude first so that r cannot overflow.
    const diagonalDifference = tf.sub(a11, a22);
    const twiceOffDiagonal = tf.mul(2, a12);
    const scale = tf.maximum(tf.abs(diagonalDifference), tf.abs(twiceOffDiagonal));
    const r = tf.mul(scale, tf.sqrt(tf.add(tf.square(tf.div(diagonalDifference, scale)), tf.square(tf.div(twiceOffDiagonal, scale)))));
    // r = 0: A is a multiple of the identity, and θ = 0 diagonalises it.
    const rotates = tf.greater(r, 0);
    const cos2 = tf.where(rotates, tf.div(diagonalDifference, r), tf.onesLike(r));
    const sin2 = tf.where(rotates, tf.div(twiceOffDiagonal, r), tf.zerosLike(r));
    // cos θ and sin θ from cos 2θ, taking the square root of the larger of (1 ± cos 2θ)/2 (no cancellation)
    // and the other from sin 2θ = 2·cos θ·sin θ.
    const cosLarger = tf.greaterEqual(cos2, 0);
    const root = tf.sqrt(tf.mul(0.5, tf.add(1, tf.abs(cos2))));
    const other = tf.div(sin2, tf.mul(2, root));
    const c = tf.where(cosLarger, root, other);
    const s = tf.where(cosLarger, other, root);
    // The eigenvectors (c, s) and (−s, c); each eigenvalue is A's quadratic form at its vector.
    const vectors: [tf.Tensor, tf.Tensor][] = [
      [c, s],
      [tf.neg(s), c],
    ];
    const values = vectors.map(([x, y]) => tf.addN([tf.mul(tf.mul(a11, x), x), tf.mul(tf.mul(tf.mul(2, a12), x), y), tf.mul(tf.mul(a22, y), y)]));
    const cutoff = tf.mul(float32EigenvalueCutoff, tf.maximum(tf.abs(values[0]), tf.abs(values[1])));
    // Each kept eigenvalue adds (v·b / value)·v; a dropped one adds 0, whatever its (maybe non-finite) terms.
    const terms = vectors.map(([x, y], i) => {
      const kept = tf.greater(tf.abs(values[i]), cutoff);
      const coefficient = tf.div(tf.add(tf.mul(x, b1), tf.mul(y, b2)), values[i]);
      const zero = tf.zerosLike(coefficient);
      return [tf.where(kept, tf.mul(coefficient, x), zero), tf.where(kept, tf.mul(coefficient, y), zero)];
    });
    return [tf.add(terms[0][0], terms[1][0]), tf.add(terms[0][1], terms[1][1])] as [tf.Scalar, tf.Scalar];
  });
}
