import type { Params } from '../params';
import type { tf } from '../tf';
import type { ActivationCache, ActivationLayer } from './activation';
import type { AffineCache, AffineLayer } from './affineLayer';
import { CompositeLayer } from './compositeLayer';
import type { LayerContext } from './layer';
import { Sequential } from './sequential';

interface AffineReluCache {
  affine: AffineCache;
  relu: ActivationCache;
}

/**
 * A dense or conv2d layer and the ReLU after it as one layer (buildNetwork pairs them): the forward pass is
 * one fused product with its bias and the ReLU. Its derivatives are the two layers' one after the other;
 * where the ReLU multiplies by its derivative in the backend's fused kernels, the JVP does it inside the
 * last product. Parameters and names stay the two layers' own.
 */
export class AffineReluLayer extends CompositeLayer<AffineReluCache> {
  readonly type = null;

  constructor(
    private readonly affine: AffineLayer,
    private readonly relu: ActivationLayer,
  ) {
    super(`${affine.name}+${relu.name}`, new Sequential([affine, relu], affine.inputShape));
  }

  override forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: AffineReluCache } {
    const { y, cache } = this.affine.forwardThenRelu(x, params);
    return { y, cache: { affine: cache, relu: this.relu.cacheForOutput(y, ctx) } };
  }

  override jvp(cache: AffineReluCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    if (this.relu.reluDerivativeInKernels) return this.affine.jvpThenRelu(cache.affine, dx, dparams, cache.relu.y);
    const tangent = this.affine.jvp(cache.affine, dx, dparams);
    return tangent && this.relu.derivative(cache.relu, tangent);
  }

  override vjp(cache: AffineReluCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    return this.affine.vjp(cache.affine, this.relu.derivativeTransposed(cache.relu, dy), grads, needInputGrad);
  }
}
