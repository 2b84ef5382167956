import { tf } from '../tf';
import type { LayerSite } from './layerSite';
import { ParameterFreeLayer } from './parameterFreeLayer';
import { product } from './shapes';

/** Reshapes each example to a vector (row-major, so NHWC images flatten channels fastest). */
export class FlattenLayer extends ParameterFreeLayer<number> {
  readonly type = 'flatten' as const;

  constructor(site: LayerSite, inputShape: number[]) {
    super(site, inputShape, [product(inputShape)]);
  }

  /** The cache is the batch size. */
  override forward(x: tf.Tensor): { y: tf.Tensor; cache: number } {
    const batch = x.shape[0];
    return { y: this.derivative(batch, x), cache: batch };
  }

  override derivative(batch: number, dx: tf.Tensor): tf.Tensor {
    return tf.reshape(dx, [batch, ...this.outputShape]);
  }

  override derivativeTransposed(batch: number, dy: tf.Tensor): tf.Tensor {
    return tf.reshape(dy, [batch, ...this.inputShape]);
  }
}
