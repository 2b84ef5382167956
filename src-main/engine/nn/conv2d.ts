import type { Params } from '../params';
import { tf } from '../tf';
import { toPair, windowOutputSize } from './convGeometry';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../ops';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import type { Conv2dSpec, Padding } from '../../shared/modelSpec';
import { requireParam, sumTangents, tangentOf } from './tangents';

interface Conv2dCache {
  x: tf.Tensor4D;
  kernel: tf.Tensor4D;
}

/** 2-D convolution, NHWC, kernel [kh, kw, cin, cout], TensorFlow's 'same'/'valid' padding. */
export class Conv2dLayer implements NetworkLayer<Conv2dCache> {
  readonly type = 'conv2d' as const;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[];
  readonly state: StateSpec[] = [];
  readonly sublayers = [];
  readonly flopsPerExample: number;
  private readonly kernelName: string;
  private readonly biasName: string | null;
  private readonly kernelShape: [number, number, number, number];
  private readonly strides: [number, number];
  private readonly padding: Padding;

  constructor(site: LayerSite, spec: Conv2dSpec, inputShape: number[]) {
    const kernelSize = toPair(spec.kernelSize);
    this.strides = toPair(spec.strides ?? 1);
    this.padding = spec.padding ?? 'same';
    const [oh, ow] = windowOutputSize(site, inputShape, 'kernelSize', kernelSize, this.strides, this.padding);
    const cin = inputShape[2];
    const cout = spec.filters;
    this.name = site.name;
    this.inputShape = inputShape;
    this.outputShape = [oh, ow, cout];
    this.kernelShape = [kernelSize[0], kernelSize[1], cin, cout];
    this.kernelName = `${site.name}/kernel`;
    this.biasName = spec.useBias === false ? null : `${site.name}/bias`;
    // Glorot counts the receptive field: each output sees kh·kw·cin inputs, each input feeds kh·kw·cout outputs.
    const receptiveField = kernelSize[0] * kernelSize[1];
    const fanIn = receptiveField * cin;
    const fanOut = receptiveField * cout;
    this.params = [{ name: this.kernelName, shape: [...this.kernelShape], init: 'glorotUniform', fanIn, fanOut }];
    if (this.biasName) this.params.push({ name: this.biasName, shape: [cout], init: 'zeros', fanIn, fanOut });
    this.flopsPerExample = 2 * fanIn * cout * oh * ow;
  }

  forward(x: tf.Tensor, params: Params, _ctx: LayerContext): { y: tf.Tensor; cache: Conv2dCache } {
    return this.affine(x, params, 'linear');
  }

  forwardThenRelu(x: tf.Tensor, params: Params, _ctx: LayerContext): { y: tf.Tensor; cache: Conv2dCache } {
    return this.affine(x, params, 'relu');
  }

  /** The fused convolution adds the bias and applies the activation in its own output array. */
  private affine(x: tf.Tensor, params: Params, activation: 'linear' | 'relu'): { y: tf.Tensor; cache: Conv2dCache } {
    const kernel = requireParam(params, this.kernelName) as tf.Tensor4D;
    const bias = this.biasName ? requireParam(params, this.biasName) : null;
    return { y: this.convolveWithBias(x as tf.Tensor4D, kernel, bias, activation), cache: { x: x as tf.Tensor4D, kernel } };
  }

  /** activation(x ∗ kernel + bias), bias per channel or of the output's shape, in one fused kernel. */
  private convolveWithBias(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor | null, activation: 'linear' | 'relu'): tf.Tensor4D {
    return tf.fused.conv2d({ x, filter: kernel, strides: this.strides, pad: this.padding, bias: bias ?? undefined, activation });
  }

  jvp(cache: Conv2dCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    const dKernel = tangentOf(dparams, this.kernelName);
    const dBias = this.biasName ? tangentOf(dparams, this.biasName) : null;
    // dx∗K + (x∗dK + db): two fused convolutions, the second taking the first as its bias.
    const fromParams = dKernel ? this.convolveWithBias(cache.x, dKernel as tf.Tensor4D, dBias, 'linear') : dBias;
    const tangent = dx ? this.convolveWithBias(dx as tf.Tensor4D, cache.kernel, fromParams, 'linear') : fromParams;
    return sumTangents([cache.x.shape[0], ...this.outputShape], [tangent]);
  }

  vjp(cache: Conv2dCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    grads[this.kernelName] = conv2dBackpropFilter(cache.x, dy, this.kernelShape, this.strides, this.padding);
    if (this.biasName) grads[this.biasName] = tf.sum(dy, [0, 1, 2]);
    if (!needInputGrad) return null;
    return conv2dBackpropInput(dy, cache.kernel, cache.x.shape, this.strides, this.padding);
  }
}
