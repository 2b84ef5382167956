import type { Params } from '../params';
import { tf } from '../tf';
import type { LayerContext } from './layer';
import type { LayerSite } from './layerSite';
import { ParameterFreeLayer } from './parameterFreeLayer';
import type { DropoutSpec } from '../../shared/modelSpec';

/** keep-mask / (1 − rate), or null where the layer is the identity (eval mode, rate 0). */
type ScaledMask = tf.Tensor | null;

/**
 * Inverted dropout: y = x ⊙ mask / (1 − rate) in train mode, identity in eval mode. The mask comes from
 * the context, which gives every pass of a step the same one, so the layer is linear in x for the step
 * (and its own transpose).
 */
export class DropoutLayer extends ParameterFreeLayer<ScaledMask> {
  readonly type = 'dropout' as const;
  private readonly rate: number;

  constructor(site: LayerSite, spec: DropoutSpec, inputShape: number[]) {
    super(site, inputShape, inputShape);
    this.rate = spec.rate;
  }

  override forward(x: tf.Tensor, _params: Params, ctx: LayerContext): { y: tf.Tensor; cache: ScaledMask } {
    if (!ctx.training || this.rate === 0) return { y: x, cache: null };
    const scaledMask = tf.mul(ctx.dropoutMask(this.name, x.shape, this.rate), 1 / (1 - this.rate));
    return { y: this.derivative(scaledMask, x), cache: scaledMask };
  }

  override derivative(scaledMask: ScaledMask, dx: tf.Tensor): tf.Tensor {
    return scaledMask ? tf.mul(dx, scaledMask) : dx;
  }

  override derivativeTransposed(scaledMask: ScaledMask, dy: tf.Tensor): tf.Tensor {
    return this.derivative(scaledMask, dy);
  }
}
