import { reluDerivativeTimes } from '../ops';
import type { Params } from '../params';
import { tf } from '../tf';
import type { LayerContext } from './layer';
import type { LayerSite } from './layerSite';
import { ParameterFreeLayer } from './parameterFreeLayer';
import type { ActivationSpec } from '../../shared/modelSpec';

export type ActivationKind = ActivationSpec['type'];

export interface ActivationCache {
  /** The output: each of these derivatives is cheapest written in terms of it. */
  y: tf.Tensor;
  /**
   * f'(x), made with the forward pass in train mode (in the same scope as the cache, so it lives as
   * long) and shared by the step's JVPs and VJP: CurveBall makes three of them. Null in eval mode, and
   * for a ReLU built to multiply by relu'(x) straight from y in the backend's fused kernels.
   */
  derivative: tf.Tensor | null;
}

const functions: Record<ActivationKind, (x: tf.Tensor) => tf.Tensor> = {
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
};

/** f'(x) from y = f(x). relu' is 0 at the kink (y = 0), as in TF.js's own gradient. */
const derivativesFromOutput: Record<ActivationKind, (y: tf.Tensor) => tf.Tensor> = {
  relu: (y) => tf.step(y),
  tanh: (y) => tf.sub(1, tf.square(y)),
  sigmoid: (y) => tf.mul(y, tf.sub(1, y)),
};

/** How a ReLU multiplies by its derivative step(y); the other activations always precompute f'(x). */
export interface ReluDerivativeOptions {
  /**
   * In the backend's fused kernels, straight from the output y (see buildNetwork's reluDerivativeKernels),
   * rather than by a step(y) made in the forward pass.
   */
  inKernels: boolean;
  /**
   * In reverse mode the next layer has done it: it reads this ReLU's output and returns its input
   * cotangent already multiplied by step(y) (see AffineLayer's reluInput), so dy passes through.
   */
  leftToNextLayer: boolean;
}

/**
 * An elementwise nonlinearity: both derivative products are f'(x) ⊙ (tangent or cotangent), except that
 * a ReLU may leave its reverse-mode multiply to the next layer (ReluDerivativeOptions.leftToNextLayer).
 */
export class ActivationLayer extends ParameterFreeLayer<ActivationCache> {
  readonly type: ActivationKind;
  /** A ReLU whose derivative the backend's fused kernels apply, straight from its output. */
  readonly reluDerivativeInKernels: boolean;
  private readonly derivativeLeftToNextLayer: boolean;

  constructor(site: LayerSite, spec: ActivationSpec, inputShape: number[], relu: ReluDerivativeOptions) {
    super(site, inputShape, inputShape);
    this.type = spec.type;
    this.reluDerivativeInKernels = spec.type === 'relu' && relu.inKernels;
    this.derivativeLeftToNextLayer = this.reluDerivativeInKernels && relu.leftToNextLayer;
  }

  override forward(x: tf.Tensor, _params: Params, ctx: LayerContext): { y: tf.Tensor; cache: ActivationCache } {
    const y = functions[this.type](x);
    return { y, cache: this.cacheForOutput(y, ctx) };
  }

  /** The cache for this layer's output y, whether it computed y itself or a fused pair's product did. */
  cacheForOutput(y: tf.Tensor, ctx: LayerContext): ActivationCache {
    const derivative = ctx.training && !this.reluDerivativeInKernels ? derivativesFromOutput[this.type](y) : null;
    return { y, derivative };
  }

  /** f'(x) ⊙ dx. */
  override derivative(cache: ActivationCache, dx: tf.Tensor): tf.Tensor {
    if (cache.derivative) return tf.mul(cache.derivative, dx);
    if (this.type === 'relu') return reluDerivativeTimes(cache.y, dx);
    return tf.tidy(() => tf.mul(derivativesFromOutput[this.type](cache.y), dx));
  }

  /**
   * f'(x) ⊙ dy, the derivative being diagonal; for a ReLU that leaves it to the next layer, dy as it came
   * (already zero where step(y) is).
   */
  override derivativeTransposed(cache: ActivationCache, dy: tf.Tensor): tf.Tensor {
    return this.derivativeLeftToNextLayer ? dy : this.derivative(cache, dy);
  }
}
