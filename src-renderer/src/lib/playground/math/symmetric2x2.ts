import { pseudoInverseSolve2x2 } from '$shared/pseudoInverse2x2';
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
 * pinv(M)·b with the engine's CurveBall solve (eigenvalues at most 1e-15 × the largest count as zero, so a
 * rank-one M, such as CurveBall's 2×2 system on its first step, gets the least-norm solution). A
 * non-finite result gives (0, 0): in the playground "take no step" is the safe answer.
 */
export function pseudoInverseSolve(m: Symmetric2x2, b: Vec2): Vec2 {
  const [x, y] = pseudoInverseSolve2x2(m.xx, m.xy, m.yy, b[0], b[1]);
  return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : [0, 0];
}
