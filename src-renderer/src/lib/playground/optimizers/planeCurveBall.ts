import { adaptLambda, curveballDampingDefaults } from '$shared/curveballDamping';
import type { Symmetric2x2 } from '../math/symmetric2x2';
import { bilinear, multiply, pseudoInverseSolve } from '../math/symmetric2x2';
import type { Vec2 } from '../math/vec2';
import { add, combine, dot } from '../math/vec2';
import type { PlaneOptimizer } from './planeOptimizer';

export interface PlaneCurveBallSettings {
  /** Initial damping λ. Kept small (1e-3): the 2D functions' Hessians are exact, so little damping is needed. */
  lambda: number;
  /** λ is adapted on every `lambdaInterval`-th step (including the first); 0 keeps it fixed. */
  lambdaInterval: number;
}

/** The 2×2 system CurveBall solves for its step sizes, and the loss change its model predicts. */
export interface CurveBallPlaneModel {
  readonly a: Symmetric2x2;
  readonly b: Vec2;
}

/**
 * With w ∈ R² the "network" is the identity (J = I) and H_L is the Hessian H of f at w, so the engine's
 * A = [[λ|dz|² + dzᵀH·dz, λ dz·z + zᵀH·dz], [·, λ|z|² + zᵀH·z]] and b = [g·dz, g·z].
 */
export function curveballPlaneModel(hessian: Symmetric2x2, g: Vec2, z: Vec2, dz: Vec2, lambda: number): CurveBallPlaneModel {
  return {
    a: {
      xx: lambda * dot(dz, dz) + bilinear(dz, hessian, dz),
      xy: lambda * dot(dz, z) + bilinear(z, hessian, dz),
      yy: lambda * dot(z, z) + bilinear(z, hessian, z),
    },
    b: [dot(g, dz), dot(g, z)],
  };
}

/**
 * CurveBall (Henriques et al., ICCV 2019) with the function's exact Hessian. Each step:
 * g = ∇f(w); dz = H·z + g + λz; m = pinv(A)·b; β = m₀, ρ = −m₁; z ← ρz − β·dz; w ← w + z.
 * Every `lambdaInterval` steps, ratio = (f(w_new) − f(w)) / (−½ m·b) compares the actual change with the
 * model's prediction and λ follows the engine's damping rule (below 0.5 it grows, above 1.5 it shrinks),
 * with the playground's own initial λ and interval.
 */
export function createPlaneCurveBall(settings: PlaneCurveBallSettings): PlaneOptimizer {
  let z: Vec2 = [0, 0];
  let lambda = settings.lambda;
  let stepIndex = 0;
  return {
    step: (w, oracle) => {
      const g = oracle.gradient(w);
      const hessian = oracle.hessian(w);
      const dz = add(add(multiply(hessian, z), g), [lambda * z[0], lambda * z[1]]);
      const model = curveballPlaneModel(hessian, g, z, dz, lambda);
      const [m0, m1] = pseudoInverseSolve(model.a, model.b);
      const beta = m0;
      const rho = -m1;
      z = combine(rho, z, -beta, dz);
      const next = add(w, z);

      const trace: Record<string, number> = { rho, beta, lambda };
      const interval = Math.round(settings.lambdaInterval);
      if (interval > 0 && stepIndex % interval === 0) {
        const predicted = -0.5 * (m0 * model.b[0] + m1 * model.b[1]);
        const ratio = (oracle.value(next) - oracle.value(w)) / predicted;
        trace.ratio = ratio;
        lambda = adaptLambda(lambda, ratio, { ...curveballDampingDefaults, interval });
      }
      stepIndex += 1;
      return { w: next, trace };
    },
  };
}
