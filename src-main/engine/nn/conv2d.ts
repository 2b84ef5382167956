import { conv2dBackpropFilter, conv2dBackpropInput, reluDerivativeTimes } from '../ops';
import { tf } from '../tf';
import { AffineLayer, type AffineCache, type ProductOptions } from './affineLayer';
import { toPair, windowOutputSize } from './convGeometry';
import type { LayerSite } from './layerSite';
import type { Conv2dSpec, Padding } from '../../shared/modelSpec';

type Shape4D = [number, number, number, number];

/** 2-D convolution, NHWC, kernel [kh, kw, cin, cout], TensorFlow's 'same'/'valid' padding. */
export class Conv2dLayer extends AffineLayer {
  readonly type = 'conv2d' as const;
  private readonly kernelShape: Shape4D;
  private readonly strides: [number, number];
  private readonly padding: Padding;

  constructor(site: LayerSite, spec: Conv2dSpec, inputShape: number[], reluInput: boolean) {
    const kernelSize = toPair(spec.kernelSize);
    const strides = toPair(spec.strides ?? 1);
    const padding = spec.padding ?? 'same';
    const [oh, ow] = windowOutputSize(site, inputShape, 'kernelSize', kernelSize, strides, padding);
    const kernelShape: Shape4D = [kernelSize[0], kernelSize[1], inputShape[2], spec.filters];
    // Glorot and He count the receptive field: each output sees kh·kw·cin inputs, each input feeds kh·kw·cout outputs.
    const receptiveField = kernelSize[0] * kernelSize[1];
    const fanIn = receptiveField * inputShape[2];
    const kernel = { shape: kernelShape, fanIn, fanOut: receptiveField * spec.filters, init: spec.kernelInit ?? 'glorotUniform' };
    super(site, inputShape, [oh, ow, spec.filters], kernel, spec.useBias !== false, reluInput);
    this.kernelShape = kernelShape;
    this.strides = strides;
    this.padding = padding;
  }

  /** One fused convolution with its bias and activation; step(y) ⊙ afterwards (no fused kernel for that). */
  protected override product(a: tf.Tensor, kernel: tf.Tensor, options: ProductOptions): tf.Tensor {
    const { bias, activation, reluDerivativeOf } = options;
    const x = a as tf.Tensor4D;
    const y = tf.fused.conv2d({ x, filter: kernel as tf.Tensor4D, strides: this.strides, pad: this.padding, bias: bias ?? undefined, activation });
    return reluDerivativeOf ? reluDerivativeTimes(reluDerivativeOf, y) : y;
  }

  protected override kernelCotangent(x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
    return conv2dBackpropFilter(x, dy, this.kernelShape, this.strides, this.padding);
  }

  protected override inputCotangent(cache: AffineCache, dy: tf.Tensor, reluOutput: tf.Tensor | null): tf.Tensor {
    const dx = conv2dBackpropInput(dy, cache.kernel, cache.x.shape as Shape4D, this.strides, this.padding);
    return reluOutput ? reluDerivativeTimes(reluOutput, dx) : dx;
  }
}
