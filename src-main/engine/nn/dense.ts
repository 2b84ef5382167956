import { denseProduct, reluDerivativeTimes } from '../ops';
import type { Params } from '../params';
import { tf } from '../tf';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import { formatShape } from './shapes';
import type { DenseSpec } from '../../shared/modelSpec';
import { requireParam, sumTangents, tangentOf } from './tangents';

interface DenseCache {
  x: tf.Tensor2D;
  kernel: tf.Tensor2D;
}

/** y = x·W + b with W of shape [in, units]; needs a flat input. */
export class DenseLayer implements NetworkLayer<DenseCache> {
  readonly type = 'dense' as const;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[];
  readonly state: StateSpec[] = [];
  readonly sublayers = [];
  readonly flopsPerExample: number;
  private readonly kernelName: string;
  private readonly biasName: string | null;

  constructor(site: LayerSite, spec: DenseSpec, inputShape: number[]) {
    if (inputShape.length !== 1) {
      throw site.error(`input shape ${formatShape(inputShape)} is not flat; put a flatten layer before this dense layer`);
    }
    const fanIn = inputShape[0];
    const units = spec.units;
    this.name = site.name;
    this.inputShape = inputShape;
    this.outputShape = [units];
    this.kernelName = `${site.name}/kernel`;
    this.biasName = spec.useBias === false ? null : `${site.name}/bias`;
    this.params = [{ name: this.kernelName, shape: [fanIn, units], init: 'glorotUniform', fanIn, fanOut: units }];
    if (this.biasName) this.params.push({ name: this.biasName, shape: [units], init: 'zeros', fanIn, fanOut: units });
    this.flopsPerExample = 2 * fanIn * units;
  }

  forward(x: tf.Tensor, params: Params, _ctx: LayerContext): { y: tf.Tensor; cache: DenseCache } {
    return this.affine(x, params, 'linear');
  }

  forwardThenRelu(x: tf.Tensor, params: Params, _ctx: LayerContext): { y: tf.Tensor; cache: DenseCache } {
    return this.affine(x, params, 'relu');
  }

  /** The fused product adds the bias and applies the activation in the same pass (one kernel, one output array). */
  private affine(x: tf.Tensor, params: Params, activation: 'linear' | 'relu'): { y: tf.Tensor; cache: DenseCache } {
    const kernel = requireParam(params, this.kernelName) as tf.Tensor2D;
    const bias = this.biasName ? requireParam(params, this.biasName) : null;
    const y = denseProduct(x as tf.Tensor2D, kernel, { bias, activation });
    return { y, cache: { x: x as tf.Tensor2D, kernel } };
  }

  jvp(cache: DenseCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    return this.tangent(cache, dx, dparams, null);
  }

  jvpThenRelu(cache: DenseCache, dx: tf.Tensor | null, dparams: Params, reluOutput: tf.Tensor): tf.Tensor | null {
    return this.tangent(cache, dx, dparams, reluOutput);
  }

  vjp(cache: DenseCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    this.parameterCotangents(cache, dy, grads);
    return needInputGrad ? tf.matMul(dy as tf.Tensor2D, cache.kernel, false, true) : null;
  }

  vjpThroughRelu(cache: DenseCache, dy: tf.Tensor, grads: Params, reluOutput: tf.Tensor): tf.Tensor {
    this.parameterCotangents(cache, dy, grads);
    return denseProduct(dy as tf.Tensor2D, cache.kernel, { transposeB: true, reluDerivativeOf: reluOutput });
  }

  /**
   * dx·W + (x·dW + db): two fused products, the second taking the first as its bias, and the second
   * also multiplying by step(reluOutput) when a ReLU follows.
   */
  private tangent(cache: DenseCache, dx: tf.Tensor | null, dparams: Params, reluOutput: tf.Tensor | null): tf.Tensor | null {
    const dKernel = tangentOf(dparams, this.kernelName);
    const dBias = this.biasName ? tangentOf(dparams, this.biasName) : null;
    const last = dx ? null : reluOutput;
    const fromParams = dKernel ? denseProduct(cache.x, dKernel as tf.Tensor2D, { bias: dBias, reluDerivativeOf: last }) : dBias;
    if (dx) return denseProduct(dx as tf.Tensor2D, cache.kernel, { bias: fromParams, reluDerivativeOf: reluOutput });
    if (!fromParams || dKernel) return fromParams;
    // A bias tangent alone: a row for every example.
    const rows = sumTangents([cache.x.shape[0], this.outputShape[0]], [fromParams])!;
    return reluOutput ? reluDerivativeTimes(reluOutput, rows) : rows;
  }

  private parameterCotangents(cache: DenseCache, dy: tf.Tensor, grads: Params): void {
    grads[this.kernelName] = tf.matMul(cache.x, dy as tf.Tensor2D, true, false);
    if (this.biasName) grads[this.biasName] = tf.sum(dy, 0);
  }
}
