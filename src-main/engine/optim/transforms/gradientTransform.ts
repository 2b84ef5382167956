import type { Params } from '../../params';
import type { RunShape, Trace } from '../optimizer';

/**
 * Updates with a lazy scalar factor: the update is `scale`·`tensors`. A transform that only scales
 * (the learning rate) changes the factor, not the tensors, and one that mixes tensors folds the factor
 * into its fused combination; the trainer applies the last factor as it adds the step to the weights,
 * so plain SGD hands the step context's gradient over without a copy.
 */
export interface ScaledUpdates {
  tensors: Params;
  scale: number;
}

/**
 * A gradient transformation in the shape of optax's: `init(params, run) → state` and
 * `update(updates, state, params) → { updates, state }`, pure over an explicit state. `update` runs
 * inside a tidy scope: it may return its input tensors unchanged, must not dispose them, and its new
 * state shares no tensor with the old one.
 */
export interface GradientTransform<S = unknown> {
  init(params: Params, run: RunShape): S;
  update(updates: ScaledUpdates, state: S, params: Params): TransformStep<S>;
}

export interface TransformStep<S> {
  updates: ScaledUpdates;
  state: S;
  /** Numbers the transform chose for this step (a scheduled learning rate), for the optimizer's trace. */
  trace?: Trace;
}

/** The transforms applied one after the other; the state is theirs, in order, and the trace all of theirs. */
export function chain(...transforms: GradientTransform[]): GradientTransform<unknown[]> {
  return {
    init: (params, run) => transforms.map((t) => t.init(params, run)),
    update(updates, states, params) {
      const next: unknown[] = [];
      let trace: Trace = {};
      transforms.forEach((t, i) => {
        const result = t.update(updates, states[i], params);
        updates = result.updates;
        next.push(result.state);
        trace = { ...trace, ...result.trace };
      });
      return { updates, state: next, trace };
    },
  };
}
