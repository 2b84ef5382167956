import { tf } from '../../tf';
import { axpbySquareEach, divideByRootEach } from '../../ops';
import { mapParams, paramsOf, type Params } from '../../params';
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
      const squares = combineSquaresParams(keep, state.squares, add * scale * scale, tensors);
      const out = divideByRootParams(tensors, squares, epsilon);
      return { updates: { tensors: out, scale }, state: { squares } };
    },
  };
}

/** sa·a + sb·b², tensor by tensor (ops/rootOfSquares.ts: one kernel call for the set where fused). */
export function combineSquaresParams(sa: number, a: Params, sb: number, b: Params): Params {
  const keys = Object.keys(a);
  return paramsOf(keys, axpbySquareEach(sa, keys.map((k) => a[k]), sb, keys.map((k) => b[k])));
}

/** u/(√s + ε), tensor by tensor (ops/rootOfSquares.ts: one kernel call for the set where fused). */
export function divideByRootParams(u: Params, s: Params, epsilon: number): Params {
  const keys = Object.keys(u);
  return paramsOf(keys, divideByRootEach(keys.map((k) => u[k]), keys.map((k) => s[k]), epsilon));
}
