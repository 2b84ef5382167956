import { combine } from '../math/vec2';
import type { PlaneOptimizer } from './planeOptimizer';

/** Plain gradient descent: w ← w − lr·∇f(w). */
export function createPlaneSgd(settings: { learningRate: number }): PlaneOptimizer {
  return {
    step: (w, oracle) => ({ w: combine(1, w, -settings.learningRate, oracle.gradient(w)) }),
  };
}
