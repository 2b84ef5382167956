import { combine } from '../math/vec2';
import type { Optimizer } from './optimizer';

/** Plain gradient descent: w ← w − lr·∇f(w). */
export function createSgd(settings: { learningRate: number }): Optimizer {
  return {
    step: (w, oracle) => ({ w: combine(1, w, -settings.learningRate, oracle.gradient(w)) }),
  };
}
