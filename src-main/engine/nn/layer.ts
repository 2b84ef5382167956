import type { tf } from '../tf';
import type { Params } from '../params';
import type { KernelInit, LayerType } from '../../shared/modelSpec';

/** How a trainable tensor is initialised by default (Model.initParams's ParamInit may override it). */
export type InitKind = KernelInit | 'zeros' | 'ones';

export interface ParamSpec {
  /** Full name, unique in the model: "<layer name>/<param>", e.g. "conv2d_0/kernel". */
  name: string;
  shape: number[];
  init: InitKind;
  fanIn: number;
  fanOut: number;
}

/** Non-trainable state (batch-norm running statistics), also keyed by full name. */
export interface StateSpec {
  name: string;
  shape: number[];
  initialValue: number;
}

export type ModelState = Record<string, tf.Tensor>;

/** What a forward pass needs besides the input and the weights. */
export interface LayerContext {
  /** Train mode: batch-norm uses batch statistics, dropout is active. */
  training: boolean;
  /** Running statistics, read in eval mode. */
  state: ModelState;
  /**
   * When set (only on the one forward pass per step that should count), layers write their updated
   * running statistics here under their state names.
   */
  stateUpdates: ModelState | null;
  /** The dropout keep-mask (0/1) of a layer for the current step: every pass of a step gets the same one. */
  dropoutMask(layerName: string, shape: number[], rate: number): tf.Tensor;
}

/**
 * One layer: a forward pass that records what its derivatives need, an explicit forward-mode product
 * (JVP) and an explicit reverse-mode product (VJP). All three see the same cache, so JVPs and the
 * gradient reuse the forward activations instead of recomputing them.
 */
export interface Layer<Cache = unknown> {
  /** Unique in the model; a fused pair's is its two layers' names joined by "+" ("dense_3+relu_4"). */
  readonly name: string;
  /** The spec's layer type; null for a layer the builder made of others (a fused pair), described as those. */
  readonly type: LayerType | null;
  /** Per-example shapes. */
  readonly inputShape: number[];
  readonly outputShape: number[];
  /** Trainable parameters, this layer's and (for containers) its children's. */
  readonly params: ParamSpec[];
  readonly state: StateSpec[];
  /**
   * The layers this one is made of, for Model.describe(): a residual block's body (listed one level below
   * the block) or a fused pair's two layers (listed in its place); empty for the others.
   */
  readonly sublayers: readonly Layer[];
  /** A residual block's shortcut path, listed after its body and marked as the shortcut; absent elsewhere. */
  readonly shortcutSublayers?: readonly Layer[];
  /** Multiply-adds × 2 of one example's forward pass through dense and conv layers (nested included). */
  readonly flopsPerExample: number;

  forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: Cache };

  /**
   * Output tangent for input tangent dx (null: zero) and parameter tangent dparams (looked up by full
   * name; a missing entry is zero). Returns null when the output tangent is zero.
   */
  jvp(cache: Cache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null;

  /**
   * Pulls the output cotangent dy back: writes the parameter cotangents into `grads` (by full name) and
   * returns the input cotangent, or null when `needInputGrad` is false (saves work at the first layer).
   * Where a ReLU's output y feeds a dense or conv2d layer, buildNetwork may have the two share the ReLU's
   * multiply by step(y): the affine layer's input cotangent then comes back zero where y is (exact for
   * every tangent a ReLU produces there), and the ReLU passes such a dy through as it is.
   */
  vjp(cache: Cache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null;
}
