import type { Params } from '../params';
import { tf } from '../tf';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import type { DropoutSpec } from '../../shared/modelSpec';

interface DropoutCache {
  /** keep-mask / (1 − rate), or null where the layer is the identity (eval mode, rate 0). */
  scaledMask: tf.Tensor | null;
}

/**
 * Inverted dropout: y = x ⊙ mask / (1 − rate) in train mode, identity in eval mode. The mask comes from
 * the context, which gives every pass of a step the same one, so the layer is linear in x for the step.
 */
export class DropoutLayer implements NetworkLayer<DropoutCache> {
  readonly type = 'dropout' as const;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[] = [];
  readonly state: StateSpec[] = [];
  readonly sublayers = [];
  readonly flopsPerExample = 0;
  private readonly rate: number;

  constructor(site: LayerSite, spec: DropoutSpec, inputShape: number[]) {
    this.name = site.name;
    this.inputShape = inputShape;
    this.outputShape = inputShape;
    this.rate = spec.rate;
  }

  forward(x: tf.Tensor, _params: Params, ctx: LayerContext): { y: tf.Tensor; cache: DropoutCache } {
    if (!ctx.training || this.rate === 0) return { y: x, cache: { scaledMask: null } };
    const mask = ctx.dropoutMask(this.name, x.shape, this.rate);
    const scaledMask = tf.mul(mask, 1 / (1 - this.rate));
    return { y: tf.mul(x, scaledMask), cache: { scaledMask } };
  }

  jvp(cache: DropoutCache, dx: tf.Tensor | null, _dparams: Params): tf.Tensor | null {
    return dx ? this.apply(cache, dx) : null;
  }

  vjp(cache: DropoutCache, dy: tf.Tensor, _grads: Params, needInputGrad: boolean): tf.Tensor | null {
    return needInputGrad ? this.apply(cache, dy) : null;
  }

  private apply(cache: DropoutCache, v: tf.Tensor): tf.Tensor {
    return cache.scaledMask ? tf.mul(v, cache.scaledMask) : v;
  }
}
