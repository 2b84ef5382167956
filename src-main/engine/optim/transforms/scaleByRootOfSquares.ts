import { tf } from '../../tf';
import { combineParams, mapParams, type Params } from '../../params';
import type { GradientTransform } from './gradientTransform';

export interface SquaresState {
  /** The running average (RMSprop) or sum (Adagrad) of u². */
  squares: Params;
}

/** RMSprop's direction, as PyTorch's (not centered): v ← αv + (1−α)u², out = u/(√v + ε). */
export function scaleByRms(alpha: number, epsilon: number): GradientTransform<SquaresState> {
  return scaleByRootOfSquares(alpha, 1 - alpha, epsilon, 0);
}

/** Adagrad's direction, as PyTorch's: s ← s + u² (from initialAccumulator), out = u/(√s + ε). */
export function scaleByRss(initialAccumulator: number, epsilon: number): GradientTransform<SquaresState> {
  return scaleByRootOfSquares(1, 1, epsilon, initialAccumulator);
}

/** s ← keep·s + add·u²;  out = u/(√s + ε), the input's lazy factor carried through. */
function scaleByRootOfSquares(keep: number, add: number, epsilon: number, initial: number): GradientTransform<SquaresState> {
  return {
    init: (params) => ({ squares: mapParams(params, (p) => tf.fill(p.shape, initial)) }),
    update({ tensors, scale }, state) {
      const squares = combineParams(keep, state.squares, add * scale * scale, mapParams(tensors, (u) => tf.square(u)));
      const out = mapParams(tensors, (u, k) => tf.div(u, tf.add(tf.sqrt(squares[k]), epsilon)));
      return { updates: { tensors: out, scale }, state: { squares } };
    },
  };
}
