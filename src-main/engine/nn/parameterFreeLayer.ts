import type { Params } from '../params';
import type { tf } from '../tf';
import type { Layer, LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { LayerType } from '../../shared/modelSpec';

/**
 * A layer without parameters. Its derivative at a forward pass is a linear map of the input tangent,
 * fixed by the cache: the JVP applies that map and the VJP its transpose. For the linear layers
 * (flatten, global average pooling, average pooling, max pooling at its forward argmax, dropout with
 * its step's mask) the map is the layer itself; for an activation it is v ↦ f'(x) ⊙ v.
 */
export abstract class ParameterFreeLayer<Cache> implements Layer<Cache> {
  abstract readonly type: LayerType;
  readonly name: string;
  readonly params: ParamSpec[] = [];
  readonly state: StateSpec[] = [];
  readonly sublayers: readonly Layer[] = [];
  readonly flopsPerExample = 0;

  constructor(
    site: LayerSite,
    readonly inputShape: number[],
    readonly outputShape: number[],
  ) {
    this.name = site.name;
  }

  abstract forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: Cache };

  /** The derivative at the cached forward pass applied to an input tangent: jvp without its nulls. */
  abstract derivative(cache: Cache, dx: tf.Tensor): tf.Tensor;

  /** The derivative's transpose applied to an output cotangent: vjp without its nulls. */
  abstract derivativeTransposed(cache: Cache, dy: tf.Tensor): tf.Tensor;

  jvp(cache: Cache, dx: tf.Tensor | null, _dparams: Params): tf.Tensor | null {
    return dx ? this.derivative(cache, dx) : null;
  }

  vjp(cache: Cache, dy: tf.Tensor, _grads: Params, needInputGrad: boolean): tf.Tensor | null {
    return needInputGrad ? this.derivativeTransposed(cache, dy) : null;
  }
}
