import type { Vec2 } from '../math/vec2';
import { add, combine } from '../math/vec2';
import type { PlaneOptimizer } from './planeOptimizer';

/** Heavy-ball momentum: v ← μ·v − lr·∇f(w), w ← w + v, with v = 0 at the start. */
export function createPlaneMomentum(settings: { learningRate: number; momentum: number }): PlaneOptimizer {
  let velocity: Vec2 = [0, 0];
  return {
    step: (w, oracle) => {
      velocity = combine(settings.momentum, velocity, -settings.learningRate, oracle.gradient(w));
      return { w: add(w, velocity) };
    },
  };
}
