import type { Params } from '../../params';

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
 * A gradient transformation in the shape of optax's: `init(params) → state` and
 * `update(updates, state, params) → { updates, state }`, pure over an explicit state. `update` runs
 * inside a tidy scope: it may return its input tensors unchanged, must not dispose them, and its new
 * state shares no tensor with the old one.
 */
export interface GradientTransform<S = unknown> {
  init(params: Params): S;
  update(updates: ScaledUpdates, state: S, params: Params): TransformStep<S>;
}

export interface TransformStep<S> {
  updates: ScaledUpdates;
  state: S;
}

/** The transforms applied one after the other; the state is theirs, in order. */
export function chain(...transforms: GradientTransform[]): GradientTransform<unknown[]> {
  return {
    init: (params) => transforms.map((t) => t.init(params)),
    update(updates, states, params) {
      const next: unknown[] = [];
      transforms.forEach((t, i) => {
        const result = t.update(updates, states[i], params);
        updates = result.updates;
        next.push(result.state);
      });
      return { updates, state: next };
    },
  };
}
