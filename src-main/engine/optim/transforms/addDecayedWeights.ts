import { combineParams } from '../../params';
import type { GradientTransform } from './gradientTransform';

/**
 * u + weightDecay·w, in one fused combination. Where it sits in a chain makes the two kinds of weight
 * decay: before the scaling it is an L2 penalty on the gradient (addL2), after it the decay is decoupled
 * from the moment estimates (AdamW).
 */
export function addDecayedWeights(weightDecay: number): GradientTransform<null> {
  return {
    init: () => null,
    update: (updates, _state, params) => ({
      updates: weightDecay === 0 ? updates : { tensors: combineParams(updates.scale, updates.tensors, weightDecay, params), scale: 1 },
      state: null,
    }),
  };
}

/** PyTorch's `weight_decay` of SGD, momentum, Adam, RMSprop and Adagrad: g + weightDecay·w, before anything else. */
export const addL2 = addDecayedWeights;
