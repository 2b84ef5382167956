import type { Vec2 } from './vec2';

/** A symmetric 2×2 matrix [[xx, xy], [xy, yy]]: a Hessian of a function of (x, y). */
export interface Symmetric2x2 {
  readonly xx: number;
  readonly xy: number;
  readonly yy: number;
}

export function multiply(m: Symmetric2x2, v: Vec2): Vec2 {
  return [m.xx * v[0] + m.xy * v[1], m.xy * v[0] + m.yy * v[1]];
}

/** uᵀ M v. */
export function bilinear(u: Vec2, m: Symmetric2x2, v: Vec2): number {
  return u[0] * (m.xx * v[0] + m.xy * v[1]) + u[1] * (m.xy * v[0] + m.yy * v[1]);
}

/**
 * pinv(M)·b. A rotation by θ = ½·atan2(2·xy, xx − yy) diagonalises M exactly; eigenvalues whose magnitude
 * is at most 1e-15 × the largest count as zero (as torch.pinverse and the engine's CurveBall do), so a
 * rank-one M, such as CurveBall's 2×2 system on its first step, gets the least-norm solution instead of
 * a division by zero. Anything non-finite in M or the result gives (0, 0): "take no step" is the safe answer.
 */
export function pseudoInverseSolve(m: Symmetric2x2, b: Vec2): Vec2 {
  const theta = 0.5 * Math.atan2(2 * m.xy, m.xx - m.yy);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const pairs: { value: number; vector: Vec2 }[] = [
    { value: m.xx * c * c + 2 * m.xy * c * s + m.yy * s * s, vector: [c, s] },
    { value: m.xx * s * s - 2 * m.xy * c * s + m.yy * c * c, vector: [-s, c] },
  ];
  const cutoff = 1e-15 * Math.max(Math.abs(pairs[0].value), Math.abs(pairs[1].value));
  let x = 0;
  let y = 0;
  for (const { value, vector } of pairs) {
    if (!(Math.abs(value) > cutoff)) continue;
    const coefficient = (vector[0] * b[0] + vector[1] * b[1]) / value;
    x += coefficient * vector[0];
    y += coefficient * vector[1];
  }
  return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : [0, 0];
}
