import { tf } from '../tf';
import { combineParams, disposeParams, mapParams, subParams, zerosLikeParams, type Params } from '../params';
import { readInnerProducts } from './innerProducts';

export interface ConjugateGradientOptions {
  /** At most this many iterations (each one product with A). */
  maxIterations: number;
  /** Stop once |b − A·x| / |b| ≤ tolerance. */
  tolerance: number;
}

export interface ConjugateGradientResult {
  /** The solution estimate; the caller owns (and disposes) it. */
  x: Params;
  iterations: number;
  /** |r| / |b| for the final residual r (the recursively updated one CG keeps; 0 when b = 0). */
  relativeResidual: number;
}

/**
 * Solves A·x = b for a symmetric positive-(semi)definite A given only as a product v ↦ A·v, starting from
 * x0 (a warm start), by the conjugate gradient method. Stops when the relative residual reaches the
 * tolerance (checked before the first iteration too, so a warm start at the solution costs one product
 * and no iterations), after maxIterations, or when the curvature pᵀAp is not positive (A is not
 * positive-definite along p; CG cannot make progress). Neither b nor x0 is disposed; every
 * intermediate tensor is.
 */
export function conjugateGradient(
  applyA: (v: Params) => Params,
  b: Params,
  x0: Params,
  { maxIterations, tolerance }: ConjugateGradientOptions,
): ConjugateGradientResult {
  let x = mapParams(x0, (t) => tf.clone(t));
  let r = tf.tidy(() => subParams(b, applyA(x0)));
  let p = mapParams(r, (t) => tf.clone(t));
  const start = readInnerProducts({ rr: [r, r], bb: [b, b] });
  const bNorm = Math.sqrt(start.bb);
  let rr = start.rr;
  if (bNorm === 0) {
    // The solution of A·x = 0 is x = 0 (A positive-definite).
    disposeParams(x);
    disposeParams(r);
    disposeParams(p);
    return { x: zerosLikeParams(x0), iterations: 0, relativeResidual: 0 };
  }

  let iterations = 0;
  while (iterations < maxIterations && Math.sqrt(rr) / bNorm > tolerance) {
    const Ap = tf.tidy(() => applyA(p));
    const pAp = readInnerProducts({ pAp: [p, Ap] }).pAp;
    if (!(pAp > 0)) {
      disposeParams(Ap);
      break;
    }
    const alpha = rr / pAp;
    const next = tf.tidy(() => ({ x: combineParams(1, x, alpha, p), r: combineParams(1, r, -alpha, Ap) }));
    disposeParams(Ap);
    disposeParams(x);
    disposeParams(r);
    x = next.x;
    r = next.r;
    iterations++;

    const rrNext = readInnerProducts({ rr: [r, r] }).rr;
    const nextP = tf.tidy(() => combineParams(1, r, rrNext / rr, p));
    disposeParams(p);
    p = nextP;
    rr = rrNext;
  }
  disposeParams(r);
  disposeParams(p);
  return { x, iterations, relativeResidual: Math.sqrt(rr) / bNorm };
}
