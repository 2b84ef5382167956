import type { Params } from '../params';
import type { tf } from '../tf';
import { ActivationLayer } from './activation';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { NetworkLayer } from './networkLayer';

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
    readonly layers: readonly NetworkLayer[],
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
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      const next = this.layers[i + 1];
      if (layer.forwardThenRelu && next instanceof ActivationLayer && next.type === 'relu') {
        // One kernel for the product, its bias and the ReLU: each layer still keeps its own cache.
        const out = layer.forwardThenRelu(y, params, ctx);
        cache.push(out.cache, next.cacheForOutput(out.y, ctx));
        y = out.y;
        i++;
        continue;
      }
      const out = layer.forward(y, params, ctx);
      cache.push(out.cache);
      y = out.y;
    }
    return { y, cache };
  }

  jvp(cache: SequentialCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    let tangent = dx;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      const reluOutput = this.fusableReluOutput(cache, i + 1);
      if (layer.jvpThenRelu && reluOutput) {
        // The ReLU's derivative is applied inside this layer's last product.
        tangent = layer.jvpThenRelu(cache[i], tangent, dparams, reluOutput);
        i++;
        continue;
      }
      tangent = layer.jvp(cache[i], tangent, dparams);
    }
    return tangent;
  }

  vjp(cache: SequentialCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    // Without an input gradient, the layers in front of the first trainable one need no cotangent at all.
    const stop = needInputGrad ? 0 : this.firstTrainable;
    if (stop < 0) return null;
    let cotangent: tf.Tensor = dy;
    for (let i = this.layers.length - 1; i >= stop; i--) {
      const layer = this.layers[i];
      const reluOutput = this.fusableReluOutput(cache, i - 1);
      // A ReLU in front whose own input cotangent is wanted: one product gives the two layers' cotangent.
      if (layer.vjpThroughRelu && reluOutput && (needInputGrad || i - 1 > stop)) {
        cotangent = layer.vjpThroughRelu(cache[i], cotangent, grads, reluOutput);
        i--;
        continue;
      }
      const needed = needInputGrad || i > stop;
      const next = layer.vjp(cache[i], cotangent, grads, needed);
      if (!needed) return null;
      if (!next) throw new Error(`layer "${layer.name}" returned no input cotangent`);
      cotangent = next;
    }
    return cotangent;
  }

  /** The output of the layer at i when it is a ReLU that its neighbours may fuse (see ActivationLayer); else null. */
  private fusableReluOutput(cache: SequentialCache, i: number): tf.Tensor | null {
    const layer = this.layers[i];
    return layer instanceof ActivationLayer ? layer.fusableReluOutput(cache[i] as never) : null;
  }
}
