import { combineParams, zerosLikeParams, type Params } from '../../params';
import type { GradientTransform } from './gradientTransform';

export interface TraceState {
  /** The momentum buffer, one per parameter. */
  buffer: Params;
}

/**
 * Heavy-ball momentum in PyTorch's convention: buf ← decay·buf + u, out = buf; with `nesterov` the step
 * looks ahead along the new buffer: out = u + decay·buf. One fused combination each.
 */
export function trace(decay: number, nesterov = false): GradientTransform<TraceState> {
  return {
    init: (params) => ({ buffer: zerosLikeParams(params) }),
    update({ tensors, scale }, state) {
      const buffer = combineParams(decay, state.buffer, scale, tensors);
      const out = nesterov ? combineParams(scale, tensors, decay, buffer) : buffer;
      return { updates: { tensors: out, scale: 1 }, state: { buffer } };
    },
  };
}
