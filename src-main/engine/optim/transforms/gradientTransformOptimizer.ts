import { tf } from '../../tf';
import type { Optimizer, Trace, UpdateResult } from '../optimizer';
import type { GradientTransform, TransformStep } from './gradientTransform';

/**
 * A first-order optimizer from a gradient transform: each step feeds it the step context's gradient and
 * hands the trainer the resulting tensors with their lazy factor as `scale`, so the factor costs no pass.
 * The trace is the optimizer's fixed settings and what the transforms chose for the step (the learning rate).
 */
export function gradientTransformOptimizer<S>(transform: GradientTransform<S>, settings: Trace): Omit<Optimizer<S>, 'name'> {
  return {
    init: (params, run) => transform.init(params, run),
    update(ctx, state, params): UpdateResult<S> {
      const gradient = ctx.gradient(); // outside the tidy: the context caches it
      // tf.tidy keeps every tensor the result holds, whatever its nesting; its typing only knows tensor containers.
      const result = tf.tidy(
        () => transform.update({ tensors: gradient, scale: 1 }, state, params) as unknown as tf.TensorContainer,
      ) as unknown as TransformStep<S>;
      return { updates: result.updates.tensors, scale: result.updates.scale, state: result.state, trace: { ...settings, ...result.trace } };
    },
  };
}
