import type { Params } from '../params';
import type { tf } from '../tf';
import type { Layer, LayerContext, ParamSpec, StateSpec } from './layer';
import type { Sequential } from './sequential';

/**
 * A layer made of a sequence of others (a fused pair): its input shape, parameters, state and cost are
 * theirs, and they are its sublayers.
 */
export abstract class CompositeLayer<Cache> implements Layer<Cache> {
  abstract readonly type: Layer['type'];
  readonly sublayers: readonly Layer[];
  readonly params: ParamSpec[];
  readonly state: StateSpec[];
  readonly flopsPerExample: number;
  readonly inputShape: number[];
  readonly outputShape: number[];

  constructor(
    readonly name: string,
    parts: Sequential,
  ) {
    this.sublayers = parts.layers;
    this.params = parts.params;
    this.state = parts.state;
    this.flopsPerExample = parts.flopsPerExample;
    this.inputShape = parts.inputShape;
    this.outputShape = parts.outputShape;
  }

  abstract forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: Cache };
  abstract jvp(cache: Cache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null;
  abstract vjp(cache: Cache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null;
}
