import { tf } from '../tf';
import type { LayerSite } from './layerSite';
import { ParameterFreeLayer } from './parameterFreeLayer';
import { bracketedShape } from './shapes';

/** The mean of each channel over height and width: [H, W, C] → [C]. The cache is the batch size. */
export class GlobalAvgPoolLayer extends ParameterFreeLayer<number> {
  readonly type = 'globalAvgPool' as const;

  constructor(site: LayerSite, inputShape: number[]) {
    if (inputShape.length !== 3) {
      throw site.error(`input shape ${bracketedShape(inputShape)} is not an image; globalAvgPool needs [height, width, channels]`);
    }
    super(site, inputShape, [inputShape[2]]);
  }

  override forward(x: tf.Tensor): { y: tf.Tensor; cache: number } {
    return { y: this.derivative(x.shape[0], x), cache: x.shape[0] };
  }

  override derivative(_batch: number, dx: tf.Tensor): tf.Tensor {
    return tf.mean(dx, [1, 2]);
  }

  override derivativeTransposed(batch: number, dy: tf.Tensor): tf.Tensor {
    const [h, w, c] = this.inputShape;
    return tf.tidy(() => tf.broadcastTo(tf.reshape(tf.div(dy, h * w), [batch, 1, 1, c]), [batch, h, w, c]));
  }
}
