import { pseudoInverseSolve } from '../math/symmetric2x2';
import { subtract } from '../math/vec2';
import type { PlaneOptimizer } from './planeOptimizer';

/**
 * Newton's method, w ← w − pinv(H)·∇f(w), for reference: what a full second-order step does. It is
 * undamped, so where H is indefinite it may head for a saddle or uphill; CurveBall's damping and its
 * automatic step sizes are what make the curvature safe to use.
 */
export function createPlaneNewton(): PlaneOptimizer {
  return {
    step: (w, oracle) => ({ w: subtract(w, pseudoInverseSolve(oracle.hessian(w), oracle.gradient(w))) }),
  };
}
