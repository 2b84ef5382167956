import { fusedKernelNames, hasFusedKernel, reluDerivativeTimes } from '../ops';
import type { Params } from '../params';
import { tf } from '../tf';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import type { ActivationSpec } from '../../shared/modelSpec';

export type ActivationKind = ActivationSpec['type'];

interface ActivationCache {
  /** The output: each of these derivatives is cheapest written in terms of it. */
  y: tf.Tensor;
  /**
   * f'(x), made with the forward pass in train mode (in the same scope as the cache, so it lives as
   * long) and shared by the step's JVPs and VJP: CurveBall makes three of them. Null in eval mode, and
   * for a ReLU on a backend with the fused kernel, which multiplies by relu'(x) straight from y.
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

/** An elementwise nonlinearity: both derivative products are f'(x) ⊙ (tangent or cotangent). */
export class ActivationLayer implements NetworkLayer<ActivationCache> {
  readonly type: ActivationKind;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[] = [];
  readonly state: StateSpec[] = [];
  readonly sublayers = [];
  readonly flopsPerExample = 0;

  constructor(site: LayerSite, spec: ActivationSpec, inputShape: number[]) {
    this.type = spec.type;
    this.name = site.name;
    this.inputShape = inputShape;
    this.outputShape = inputShape;
  }

  forward(x: tf.Tensor, _params: Params, ctx: LayerContext): { y: tf.Tensor; cache: ActivationCache } {
    const y = functions[this.type](x);
    return { y, cache: this.cacheForOutput(y, ctx) };
  }

  /** The cache for this layer's output y, whether it computed y itself or the layer before fused it in. */
  cacheForOutput(y: tf.Tensor, ctx: LayerContext): ActivationCache {
    const derivative = ctx.training && !this.fusedRelu() ? derivativesFromOutput[this.type](y) : null;
    return { y, derivative };
  }

  /**
   * For a ReLU whose derivative is not precomputed (the backend fuses step(y)·v): its output y, which a
   * neighbouring layer's product can multiply by step(y) itself. Null otherwise.
   */
  fusableReluOutput(cache: ActivationCache): tf.Tensor | null {
    return this.type === 'relu' && !cache.derivative ? cache.y : null;
  }

  jvp(cache: ActivationCache, dx: tf.Tensor | null, _dparams: Params): tf.Tensor | null {
    return dx ? this.timesDerivative(cache, dx) : null;
  }

  vjp(cache: ActivationCache, dy: tf.Tensor, _grads: Params, needInputGrad: boolean): tf.Tensor | null {
    return needInputGrad ? this.timesDerivative(cache, dy) : null;
  }

  private timesDerivative(cache: ActivationCache, v: tf.Tensor): tf.Tensor {
    if (cache.derivative) return tf.mul(cache.derivative, v);
    if (this.type === 'relu') return reluDerivativeTimes(cache.y, v);
    return tf.tidy(() => tf.mul(derivativesFromOutput[this.type](cache.y), v));
  }

  private fusedRelu(): boolean {
    return this.type === 'relu' && hasFusedKernel(fusedKernelNames.reluDerivativeTimes);
  }
}
