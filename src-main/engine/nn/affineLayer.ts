import { reluDerivativeTimes, sumOverLeadingAxes, type DenseProductOptions } from '../ops';
import type { Params } from '../params';
import { tf } from '../tf';
import type { Layer, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import { product } from './shapes';
import { requireParam, sumTangents, tangentOf } from './tangents';
import type { KernelInit } from '../../shared/modelSpec';

export interface AffineCache {
  x: tf.Tensor;
  kernel: tf.Tensor;
}

/** What a product adds to A_kernel(x), and what it does to the sum (see denseProduct). */
export type ProductOptions = Omit<DenseProductOptions, 'transposeA' | 'transposeB'>;

/** The trainable kernel of an affine layer; the bias has one entry per output channel. */
export interface KernelSpec {
  shape: number[];
  fanIn: number;
  fanOut: number;
  init: KernelInit;
}

/**
 * y = A_W(x) + b: a product of the input with a kernel W that is linear in both (a matrix product, a
 * convolution) plus a bias per output channel — the dense and conv2d layers. The JVP follows from that
 * bilinearity, A_W(dx) + A_dW(x) + db; the VJP needs the product's two transposes.
 *
 * Built with `reluInput`, the layer reads the output x of a ReLU that left its reverse-mode multiply to
 * it (ReluDerivativeOptions.leftToNextLayer): the VJP then returns step(x) ⊙ Aᵀ(dy), the ReLU's input
 * cotangent, in one fused product where the backend has one. That is also this layer's exact input
 * cotangent for every input tangent a ReLU can produce (zero where x is), the only ones it gets.
 */
export abstract class AffineLayer implements Layer<AffineCache> {
  abstract readonly type: 'dense' | 'conv2d';
  readonly name: string;
  readonly params: ParamSpec[];
  readonly state: StateSpec[] = [];
  readonly sublayers: readonly Layer[] = [];
  readonly flopsPerExample: number;
  private readonly kernelName: string;
  private readonly biasName: string | null;

  constructor(
    site: LayerSite,
    readonly inputShape: number[],
    readonly outputShape: number[],
    kernel: KernelSpec,
    useBias: boolean,
    private readonly reluInput: boolean,
  ) {
    const { fanIn, fanOut } = kernel;
    this.name = site.name;
    this.kernelName = `${site.name}/kernel`;
    this.biasName = useBias ? `${site.name}/bias` : null;
    this.params = [{ name: this.kernelName, shape: [...kernel.shape], init: kernel.init, fanIn, fanOut }];
    if (this.biasName) this.params.push({ name: this.biasName, shape: outputShape.slice(-1), init: 'zeros', fanIn, fanOut });
    this.flopsPerExample = 2 * fanIn * product(outputShape);
  }

  /**
   * A_kernel(a) plus options.bias (per channel, or of the output's shape), then a ReLU or multiplied by
   * step(options.reluDerivativeOf), in as few fused kernels as the backend has.
   */
  protected abstract product(a: tf.Tensor, kernel: tf.Tensor, options: ProductOptions): tf.Tensor;

  /** The kernel cotangent: the transpose of W ↦ A_W(x), applied to dy. */
  protected abstract kernelCotangent(x: tf.Tensor, dy: tf.Tensor): tf.Tensor;

  /** The input cotangent: the transpose of A_kernel applied to dy, times step(reluOutput) when given. */
  protected abstract inputCotangent(cache: AffineCache, dy: tf.Tensor, reluOutput: tf.Tensor | null): tf.Tensor;

  forward(x: tf.Tensor, params: Params): { y: tf.Tensor; cache: AffineCache } {
    return this.affine(x, params, 'linear');
  }

  /** forward followed by a ReLU, in the same fused kernel: the ReLU's output and this layer's cache. */
  forwardThenRelu(x: tf.Tensor, params: Params): { y: tf.Tensor; cache: AffineCache } {
    return this.affine(x, params, 'relu');
  }

  jvp(cache: AffineCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    return this.tangent(cache, dx, dparams, null);
  }

  /**
   * jvp followed by the JVP of the ReLU after this layer, whose output is reluOutput: the tangent times
   * step(reluOutput), multiplied inside the last product where the backend fuses it.
   */
  jvpThenRelu(cache: AffineCache, dx: tf.Tensor | null, dparams: Params, reluOutput: tf.Tensor): tf.Tensor | null {
    return this.tangent(cache, dx, dparams, reluOutput);
  }

  vjp(cache: AffineCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    grads[this.kernelName] = this.kernelCotangent(cache.x, dy);
    if (this.biasName) grads[this.biasName] = sumOverLeadingAxes(dy);
    return needInputGrad ? this.inputCotangent(cache, dy, this.reluInput ? cache.x : null) : null;
  }

  /** The fused product adds the bias and applies the activation in the same pass (one output array). */
  private affine(x: tf.Tensor, params: Params, activation: 'linear' | 'relu'): { y: tf.Tensor; cache: AffineCache } {
    const kernel = requireParam(params, this.kernelName);
    const bias = this.biasName ? requireParam(params, this.biasName) : null;
    return { y: this.product(x, kernel, { bias, activation }), cache: { x, kernel } };
  }

  /**
   * A_W(dx) + (A_dW(x) + db): two fused products, the second taking the first as its bias, the last
   * one also multiplying by step(reluOutput) when a ReLU follows.
   */
  private tangent(cache: AffineCache, dx: tf.Tensor | null, dparams: Params, reluOutput: tf.Tensor | null): tf.Tensor | null {
    const dKernel = tangentOf(dparams, this.kernelName);
    const dBias = this.biasName ? tangentOf(dparams, this.biasName) : null;
    const fromParams = dKernel ? this.product(cache.x, dKernel, { bias: dBias, reluDerivativeOf: dx ? null : reluOutput }) : dBias;
    if (dx) return this.product(dx, cache.kernel, { bias: fromParams, reluDerivativeOf: reluOutput });
    if (!fromParams || dKernel) return fromParams;
    // A bias tangent alone: the same for every example.
    const rows = sumTangents([cache.x.shape[0], ...this.outputShape], [fromParams])!;
    return reluOutput ? reluDerivativeTimes(reluOutput, rows) : rows;
  }
}
