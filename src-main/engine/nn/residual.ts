import type { Params } from '../params';
import { tf } from '../tf';
import { CompositeLayer } from './compositeLayer';
import type { LayerContext } from './layer';
import type { LayerSite } from './layerSite';
import type { Sequential, SequentialCache } from './sequential';
import { bracketedShape, sameShape } from './shapes';
import { sumTangents } from './tangents';

interface ResidualCache {
  body: SequentialCache;
}

/** y = x + body(x): both products are the identity's plus the body's. */
export class ResidualLayer extends CompositeLayer<ResidualCache> {
  readonly type = 'residual' as const;

  constructor(
    site: LayerSite,
    private readonly body: Sequential,
  ) {
    if (!sameShape(body.outputShape, body.inputShape)) {
      throw site.error(
        `layers map the input shape ${bracketedShape(body.inputShape)} to ${bracketedShape(body.outputShape)}; ` +
          'a residual body must keep the shape of its input',
      );
    }
    super(site.name, body);
  }

  override forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: ResidualCache } {
    const body = this.body.forward(x, params, ctx);
    return { y: tf.add(x, body.y), cache: { body: body.cache } };
  }

  override jvp(cache: ResidualCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    const bodyTangent = this.body.jvp(cache.body, dx, dparams);
    const shape = (dx ?? bodyTangent)?.shape;
    return shape ? sumTangents(shape, [dx, bodyTangent]) : null;
  }

  override vjp(cache: ResidualCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    const bodyCotangent = this.body.vjp(cache.body, dy, grads, needInputGrad);
    if (!needInputGrad) return null;
    return bodyCotangent ? tf.add(dy, bodyCotangent) : dy;
  }
}
