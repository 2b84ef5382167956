import type { tf } from '../tf';
import type { LayerContext, ModelState } from './layer';

export type DropoutMaskSource = LayerContext['dropoutMask'];

/** Eval mode: batch-norm uses the running statistics in `state`, dropout is the identity. */
export function evalContext(state: ModelState): LayerContext {
  return {
    training: false,
    state,
    stateUpdates: null,
    dropoutMask: (layerName: string): tf.Tensor => {
      throw new Error(`dropout layer "${layerName}" asked for a mask in eval mode`);
    },
  };
}

/**
 * Train mode: batch statistics and dropout masks from `dropoutMask` (which must give every pass of a
 * step the same mask). Pass `stateUpdates` on the one pass per step whose batch statistics should count
 * (batch-norm writes its new running statistics there), null on the others.
 */
export function trainContext(state: ModelState, stateUpdates: ModelState | null, dropoutMask: DropoutMaskSource): LayerContext {
  return { training: true, state, stateUpdates, dropoutMask };
}
