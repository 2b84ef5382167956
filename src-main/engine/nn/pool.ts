import type { Params } from '../params';
import { tf } from '../tf';
import { toPair, windowOutputSize } from './convGeometry';
import { avgPoolGrad, maxPoolGrad, maxPoolWithArgmax } from '../ops';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import type { Padding, PoolSpec } from '../../shared/modelSpec';

export type PoolKind = PoolSpec['type'];

interface PoolCache {
  x: tf.Tensor4D;
  y: tf.Tensor4D;
  /** Max pooling only: flat NHWC index of each output's maximum in x. */
  argmax: tf.Tensor | null;
}

/**
 * Max or average pooling over windows of each channel (NHWC). Max pooling is linear in its tangent
 * once the argmax is fixed: forward records the argmax and forward-mode gathers the tangent there.
 */
export class PoolLayer implements NetworkLayer<PoolCache> {
  readonly type: PoolKind;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[] = [];
  readonly state: StateSpec[] = [];
  readonly sublayers = [];
  readonly flopsPerExample = 0;
  private readonly poolSize: [number, number];
  private readonly strides: [number, number];
  private readonly padding: Padding;

  constructor(site: LayerSite, spec: PoolSpec, inputShape: number[]) {
    this.type = spec.type;
    this.name = site.name;
    this.poolSize = toPair(spec.poolSize);
    this.strides = spec.strides === undefined ? this.poolSize : toPair(spec.strides);
    this.padding = spec.padding ?? 'valid';
    const [oh, ow] = windowOutputSize(site, inputShape, 'poolSize', this.poolSize, this.strides, this.padding);
    this.inputShape = inputShape;
    this.outputShape = [oh, ow, inputShape[2]];
  }

  forward(x: tf.Tensor, _params: Params, _ctx: LayerContext): { y: tf.Tensor; cache: PoolCache } {
    const x4 = x as tf.Tensor4D;
    if (this.type === 'maxPool') {
      const { output, argmax } = maxPoolWithArgmax(x4, this.poolSize, this.strides, this.padding);
      return { y: output, cache: { x: x4, y: output as tf.Tensor4D, argmax } };
    }
    const y = tf.avgPool(x4, this.poolSize, this.strides, this.padding);
    return { y, cache: { x: x4, y, argmax: null } };
  }

  jvp(cache: PoolCache, dx: tf.Tensor | null, _dparams: Params): tf.Tensor | null {
    if (!dx) return null;
    if (cache.argmax) return tf.tidy(() => tf.gather(tf.reshape(dx, [-1]), cache.argmax as tf.Tensor));
    return tf.avgPool(dx as tf.Tensor4D, this.poolSize, this.strides, this.padding);
  }

  vjp(cache: PoolCache, dy: tf.Tensor, _grads: Params, needInputGrad: boolean): tf.Tensor | null {
    if (!needInputGrad) return null;
    if (cache.argmax) return maxPoolGrad(dy, cache.x, cache.y, this.poolSize, this.strides, this.padding);
    return avgPoolGrad(dy, cache.x, this.poolSize, this.strides, this.padding);
  }
}
