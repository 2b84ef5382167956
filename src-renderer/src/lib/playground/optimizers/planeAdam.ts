import type { Vec2 } from '../math/vec2';
import type { PlaneOptimizer } from './planeOptimizer';

export interface PlaneAdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * Adam (Kingma & Ba): per-coordinate moments m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², bias-corrected
 * by 1 − βᵗ, and w ← w − lr·m̂/(√v̂ + ε). Its first step is therefore −lr·sign(g) in each coordinate.
 */
export function createPlaneAdam(settings: PlaneAdamSettings): PlaneOptimizer {
  const { learningRate, beta1, beta2, epsilon } = settings;
  let m: Vec2 = [0, 0];
  let v: Vec2 = [0, 0];
  let t = 0;
  return {
    step: (w, oracle) => {
      const g = oracle.gradient(w);
      t += 1;
      m = [beta1 * m[0] + (1 - beta1) * g[0], beta1 * m[1] + (1 - beta1) * g[1]];
      v = [beta2 * v[0] + (1 - beta2) * g[0] ** 2, beta2 * v[1] + (1 - beta2) * g[1] ** 2];
      const mCorrection = 1 - beta1 ** t;
      const vCorrection = 1 - beta2 ** t;
      const stepIn = (i: 0 | 1) => (learningRate * (m[i] / mCorrection)) / (Math.sqrt(v[i] / vCorrection) + epsilon);
      return { w: [w[0] - stepIn(0), w[1] - stepIn(1)] };
    },
  };
}
