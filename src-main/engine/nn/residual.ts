import type { Params } from '../params';
import { tf } from '../tf';
import type { Layer, LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { Sequential, SequentialCache } from './sequential';
import { bracketedShape, sameShape } from './shapes';
import { sumTangents } from './tangents';

interface ResidualCache {
  body: SequentialCache;
  /** Null for the identity shortcut. */
  shortcut: SequentialCache | null;
}

/**
 * y = body(x) + shortcut(x), the shortcut the identity when the spec has none: both products are the sum
 * of the two paths' own, each path seeing the block's input tangent (or cotangent, pulled back along both
 * and summed). Parameters, state and cost are the body's followed by the shortcut's.
 */
export class ResidualLayer implements Layer<ResidualCache> {
  readonly type = 'residual' as const;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[];
  readonly state: StateSpec[];
  readonly sublayers: readonly Layer[];
  readonly shortcutSublayers: readonly Layer[];
  readonly flopsPerExample: number;

  constructor(
    site: LayerSite,
    private readonly body: Sequential,
    private readonly shortcut: Sequential | null,
  ) {
    if (shortcut && !sameShape(body.outputShape, shortcut.outputShape)) {
      throw site.error(
        `the body (layers) maps the input shape ${bracketedShape(body.inputShape)} to ${bracketedShape(body.outputShape)} but the ` +
          `shortcut maps it to ${bracketedShape(shortcut.outputShape)}; both paths must give the same shape`,
      );
    }
    if (!shortcut && !sameShape(body.outputShape, body.inputShape)) {
      throw site.error(
        `layers map the input shape ${bracketedShape(body.inputShape)} to ${bracketedShape(body.outputShape)}; ` +
          'a residual body must keep the shape of its input (or the block needs a shortcut that gives the same shape)',
      );
    }
    const paths = shortcut ? [body, shortcut] : [body];
    this.name = site.name;
    this.inputShape = body.inputShape;
    this.outputShape = body.outputShape;
    this.params = paths.flatMap((p) => p.params);
    this.state = paths.flatMap((p) => p.state);
    this.sublayers = body.layers;
    this.shortcutSublayers = shortcut?.layers ?? [];
    this.flopsPerExample = paths.reduce((s, p) => s + p.flopsPerExample, 0);
  }

  forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: ResidualCache } {
    const body = this.body.forward(x, params, ctx);
    const shortcut = this.shortcut?.forward(x, params, ctx) ?? null;
    return { y: tf.add(shortcut ? shortcut.y : x, body.y), cache: { body: body.cache, shortcut: shortcut?.cache ?? null } };
  }

  jvp(cache: ResidualCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    const bodyTangent = this.body.jvp(cache.body, dx, dparams);
    const shortcutTangent = this.shortcut ? this.shortcut.jvp(cache.shortcut!, dx, dparams) : dx;
    const shape = (shortcutTangent ?? bodyTangent)?.shape;
    return shape ? sumTangents(shape, [shortcutTangent, bodyTangent]) : null;
  }

  vjp(cache: ResidualCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    const bodyCotangent = this.body.vjp(cache.body, dy, grads, needInputGrad);
    const shortcutCotangent = this.shortcut ? this.shortcut.vjp(cache.shortcut!, dy, grads, needInputGrad) : dy;
    return needInputGrad ? sumTangents([dy.shape[0], ...this.inputShape], [shortcutCotangent, bodyCotangent]) : null;
  }
}
