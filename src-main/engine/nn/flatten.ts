import type { Params } from '../params';
import { tf } from '../tf';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import { product } from './shapes';

interface FlattenCache {
  batch: number;
}

/** Reshapes each example to a vector (row-major, so NHWC images flatten channels fastest). */
export class FlattenLayer implements NetworkLayer<FlattenCache> {
  readonly type = 'flatten' as const;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[] = [];
  readonly state: StateSpec[] = [];
  readonly sublayers = [];
  readonly flopsPerExample = 0;

  constructor(site: LayerSite, inputShape: number[]) {
    this.name = site.name;
    this.inputShape = inputShape;
    this.outputShape = [product(inputShape)];
  }

  forward(x: tf.Tensor, _params: Params, _ctx: LayerContext): { y: tf.Tensor; cache: FlattenCache } {
    const batch = x.shape[0];
    return { y: tf.reshape(x, [batch, ...this.outputShape]), cache: { batch } };
  }

  jvp(cache: FlattenCache, dx: tf.Tensor | null, _dparams: Params): tf.Tensor | null {
    return dx ? tf.reshape(dx, [cache.batch, ...this.outputShape]) : null;
  }

  vjp(cache: FlattenCache, dy: tf.Tensor, _grads: Params, needInputGrad: boolean): tf.Tensor | null {
    return needInputGrad ? tf.reshape(dy, [cache.batch, ...this.inputShape]) : null;
  }
}
