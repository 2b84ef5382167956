import type { Params } from '../params';
import type { tf } from '../tf';
import type { Layer, LayerContext, ParamSpec, StateSpec } from './layer';

/** One cache per layer, in order. */
export type SequentialCache = unknown[];

/**
 * Layers applied one after another: a whole model, or a residual block's body. It has the Layer methods
 * (without a spec type of its own): forward-mode runs front to back, reverse-mode back to front.
 */
export class Sequential {
  readonly outputShape: number[];
  readonly params: ParamSpec[];
  readonly state: StateSpec[];
  readonly flopsPerExample: number;
  /** Index of the first layer with parameters: reverse mode need not go further back than it. */
  private readonly firstTrainable: number;

  constructor(
    readonly layers: readonly Layer[],
    readonly inputShape: number[],
  ) {
    this.outputShape = layers.length > 0 ? layers[layers.length - 1].outputShape : inputShape;
    this.params = layers.flatMap((l) => l.params);
    this.state = layers.flatMap((l) => l.state);
    this.flopsPerExample = layers.reduce((s, l) => s + l.flopsPerExample, 0);
    this.firstTrainable = layers.findIndex((l) => l.params.length > 0);
  }

  forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: SequentialCache } {
    const cache: SequentialCache = [];
    let y = x;
    for (const layer of this.layers) {
      const out = layer.forward(y, params, ctx);
      cache.push(out.cache);
      y = out.y;
    }
    return { y, cache };
  }

  jvp(cache: SequentialCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    let tangent = dx;
    this.layers.forEach((layer, i) => (tangent = layer.jvp(cache[i], tangent, dparams)));
    return tangent;
  }

  vjp(cache: SequentialCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    // Without an input gradient, the layers in front of the first trainable one need no cotangent at all.
    const stop = needInputGrad ? 0 : this.firstTrainable;
    if (stop < 0) return null;
    let cotangent: tf.Tensor = dy;
    for (let i = this.layers.length - 1; i >= stop; i--) {
      const needed = needInputGrad || i > stop;
      const next = this.layers[i].vjp(cache[i], cotangent, grads, needed);
      if (!needed) return null;
      if (!next) throw new Error(`layer "${this.layers[i].name}" returned no input cotangent`);
      cotangent = next;
    }
    return cotangent;
  }
}
