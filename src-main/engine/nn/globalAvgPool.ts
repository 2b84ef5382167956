import type { Params } from '../params';
import { tf } from '../tf';
import type { LayerContext, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { NetworkLayer } from './networkLayer';
import { formatShape } from './shapes';

interface GlobalAvgPoolCache {
  batch: number;
}

/** The mean of each channel over height and width: [H, W, C] → [C]. Linear, so both products are too. */
export class GlobalAvgPoolLayer implements NetworkLayer<GlobalAvgPoolCache> {
  readonly type = 'globalAvgPool' as const;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[] = [];
  readonly state: StateSpec[] = [];
  readonly sublayers = [];
  readonly flopsPerExample = 0;

  constructor(site: LayerSite, inputShape: number[]) {
    if (inputShape.length !== 3) {
      throw site.error(`input shape ${formatShape(inputShape)} is not an image; globalAvgPool needs [height, width, channels]`);
    }
    this.name = site.name;
    this.inputShape = inputShape;
    this.outputShape = [inputShape[2]];
  }

  forward(x: tf.Tensor, _params: Params, _ctx: LayerContext): { y: tf.Tensor; cache: GlobalAvgPoolCache } {
    return { y: tf.mean(x, [1, 2]), cache: { batch: x.shape[0] } };
  }

  jvp(_cache: GlobalAvgPoolCache, dx: tf.Tensor | null, _dparams: Params): tf.Tensor | null {
    return dx ? tf.mean(dx, [1, 2]) : null;
  }

  vjp(cache: GlobalAvgPoolCache, dy: tf.Tensor, _grads: Params, needInputGrad: boolean): tf.Tensor | null {
    if (!needInputGrad) return null;
    const [h, w, c] = this.inputShape;
    return tf.tidy(() => tf.broadcastTo(tf.reshape(tf.div(dy, h * w), [cache.batch, 1, 1, c]), [cache.batch, h, w, c]));
  }
}
