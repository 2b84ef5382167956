import type { Params } from '../params';
import { tf } from '../tf';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import type { Sequential, SequentialCache } from './sequential';
import { formatShape, sameShape } from './shapes';
import { sumTangents } from './tangents';

interface ResidualCache {
  body: SequentialCache;
}

/** y = x + body(x): both products are the identity's plus the body's. */
export class ResidualLayer implements NetworkLayer<ResidualCache> {
  readonly type = 'residual' as const;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[];
  readonly state: StateSpec[];
  readonly sublayers: readonly NetworkLayer[];
  readonly flopsPerExample: number;

  constructor(
    site: LayerSite,
    private readonly body: Sequential,
  ) {
    if (!sameShape(body.outputShape, body.inputShape)) {
      throw site.error(
        `layers map the input shape ${formatShape(body.inputShape)} to ${formatShape(body.outputShape)}; ` +
          'a residual body must keep the shape of its input',
      );
    }
    this.name = site.name;
    this.inputShape = body.inputShape;
    this.outputShape = body.outputShape;
    this.params = body.params;
    this.state = body.state;
    this.sublayers = body.layers;
    this.flopsPerExample = body.flopsPerExample;
  }

  forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: ResidualCache } {
    const body = this.body.forward(x, params, ctx);
    return { y: tf.add(x, body.y), cache: { body: body.cache } };
  }

  jvp(cache: ResidualCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    const bodyTangent = this.body.jvp(cache.body, dx, dparams);
    const shape = (dx ?? bodyTangent)?.shape;
    return shape ? sumTangents(shape, [dx, bodyTangent]) : null;
  }

  vjp(cache: ResidualCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    const bodyCotangent = this.body.vjp(cache.body, dy, grads, needInputGrad);
    if (!needInputGrad) return null;
    return bodyCotangent ? tf.add(dy, bodyCotangent) : dy;
  }
}
