import { tf } from '../tf';
import { toPair, windowOutputSize } from './convGeometry';
import { avgPoolGrad, maxPoolGrad, maxPoolWithArgmax } from '../ops';
import type { LayerSite } from './layerSite';
import { ParameterFreeLayer } from './parameterFreeLayer';
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
export class PoolLayer extends ParameterFreeLayer<PoolCache> {
  readonly type: PoolKind;
  private readonly poolSize: [number, number];
  private readonly strides: [number, number];
  private readonly padding: Padding;

  constructor(site: LayerSite, spec: PoolSpec, inputShape: number[]) {
    const poolSize = toPair(spec.poolSize);
    const strides = spec.strides === undefined ? poolSize : toPair(spec.strides);
    const padding = spec.padding ?? 'valid';
    const [oh, ow] = windowOutputSize(site, inputShape, 'poolSize', poolSize, strides, padding);
    super(site, inputShape, [oh, ow, inputShape[2]]);
    this.type = spec.type;
    this.poolSize = poolSize;
    this.strides = strides;
    this.padding = padding;
  }

  override forward(x: tf.Tensor): { y: tf.Tensor; cache: PoolCache } {
    const x4 = x as tf.Tensor4D;
    if (this.type === 'maxPool') {
      const { output, argmax } = maxPoolWithArgmax(x4, this.poolSize, this.strides, this.padding);
      return { y: output, cache: { x: x4, y: output as tf.Tensor4D, argmax } };
    }
    const y = tf.avgPool(x4, this.poolSize, this.strides, this.padding);
    return { y, cache: { x: x4, y, argmax: null } };
  }

  override derivative(cache: PoolCache, dx: tf.Tensor): tf.Tensor {
    if (cache.argmax) return tf.tidy(() => tf.gather(tf.reshape(dx, [-1]), cache.argmax as tf.Tensor));
    return tf.avgPool(dx as tf.Tensor4D, this.poolSize, this.strides, this.padding);
  }

  override derivativeTransposed(cache: PoolCache, dy: tf.Tensor): tf.Tensor {
    if (cache.argmax) return maxPoolGrad(dy, { input: cache.x, output: cache.y, argmax: cache.argmax }, this.poolSize, this.strides, this.padding);
    return avgPoolGrad(dy, cache.x, this.poolSize, this.strides, this.padding);
  }
}
