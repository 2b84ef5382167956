import { denseProduct } from '../ops';
import { tf } from '../tf';
import { AffineLayer, type AffineCache, type ProductOptions } from './affineLayer';
import type { LayerSite } from './layerSite';
import { bracketedShape } from './shapes';
import type { DenseSpec } from '../../shared/modelSpec';

/** y = x·W + b with W of shape [in, units]; needs a flat input. */
export class DenseLayer extends AffineLayer {
  readonly type = 'dense' as const;

  constructor(site: LayerSite, spec: DenseSpec, inputShape: number[], reluInput: boolean) {
    if (inputShape.length !== 1) {
      throw site.error(`input shape ${bracketedShape(inputShape)} is not flat; put a flatten layer before this dense layer`);
    }
    const [fanIn] = inputShape;
    const kernel = { shape: [fanIn, spec.units], fanIn, fanOut: spec.units, init: spec.kernelInit ?? 'glorotUniform' };
    super(site, inputShape, [spec.units], kernel, spec.useBias !== false, reluInput);
  }

  protected override product(a: tf.Tensor, kernel: tf.Tensor, options: ProductOptions): tf.Tensor {
    return denseProduct(a as tf.Tensor2D, kernel as tf.Tensor2D, options);
  }

  protected override kernelCotangent(x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
    return denseProduct(x as tf.Tensor2D, dy as tf.Tensor2D, { transposeA: true });
  }

  protected override inputCotangent(cache: AffineCache, dy: tf.Tensor, reluOutput: tf.Tensor | null): tf.Tensor {
    return denseProduct(dy as tf.Tensor2D, cache.kernel as tf.Tensor2D, { transposeB: true, reluDerivativeOf: reluOutput });
  }
}
