import type { Params } from '../params';
import type { tf } from '../tf';
import type { Layer, LayerContext } from './layer';

/**
 * A Layer as this package builds it: the shared Layer contract plus what the model needs to describe
 * itself (nested layers for containers, a rough forward cost).
 */
export interface NetworkLayer<Cache = unknown> extends Layer<Cache> {
  /** Nested layers (a residual block's body); empty for plain layers. */
  readonly sublayers: readonly NetworkLayer[];
  /** Multiply-adds × 2 of one example's forward pass through dense and conv layers (nested included). */
  readonly flopsPerExample: number;
  /**
   * forward followed by a ReLU, as one fused kernel (dense and conv layers): the ReLU's output and this
   * layer's own cache. Sequential calls it when a ReLU layer comes next, which then takes that output
   * as its own.
   */
  forwardThenRelu?(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: Cache };
  /** jvp followed by the next layer's, a ReLU with output reluOutput: the tangent times step(reluOutput). */
  jvpThenRelu?(cache: Cache, dx: tf.Tensor | null, dparams: Params, reluOutput: tf.Tensor): tf.Tensor | null;
  /**
   * vjp followed by the previous layer's, a ReLU with output reluOutput: writes this layer's parameter
   * cotangents and returns the ReLU's input cotangent, step(reluOutput) ⊙ (this layer's input cotangent).
   */
  vjpThroughRelu?(cache: Cache, dy: tf.Tensor, grads: Params, reluOutput: tf.Tensor): tf.Tensor;
}
