import { tf } from '../tf';
import type { LayerSite } from './layerSite';
import { ParameterFreeLayer } from './parameterFreeLayer';
import type { LrnSpec } from '../../shared/modelSpec';

/** VGG-F's (and AlexNet's) normalisation in TensorFlow's convention: see LrnSpec. */
export const LRN_DEFAULTS = { depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 } as const;

interface LrnCache {
  x: tf.Tensor;
  /** N^−β, where N = bias + alpha · (the sum of squares over each element's window). */
  scale: tf.Tensor;
  /** 2αβ · y / N: how fast each output falls as the squares in its window grow. */
  coupling: tf.Tensor;
}

/**
 * Local response normalisation across the last axis (the channels of NHWC): y_c = x_c · N_c^−β with
 * N_c = k + α Σ_{j∈W(c)} x_j², W(c) the channels within depthRadius of c (clipped at the ends).
 *
 * Its derivative: dN_c = 2α Σ_{j∈W(c)} x_j dx_j, so
 *   dy_c = N_c^−β dx_c − β x_c N_c^(−β−1) dN_c = N_c^−β dx_c − 2αβ (y_c / N_c) Σ_{j∈W(c)} x_j dx_j.
 * The window relation is symmetric (j ∈ W(c) ⇔ c ∈ W(j)), so the transpose sums over the same windows:
 *   (Jᵀu)_j = N_j^−β u_j − 2αβ x_j Σ_{c∈W(j)} (y_c / N_c) u_c.
 * Every window sum is one convolution of the channel axis with a row of ones (zero-padded at the ends).
 */
export class LrnLayer extends ParameterFreeLayer<LrnCache> {
  readonly type = 'lrn' as const;
  private readonly depthRadius: number;
  private readonly bias: number;
  private readonly alpha: number;
  private readonly beta: number;

  constructor(site: LayerSite, spec: LrnSpec, inputShape: number[]) {
    super(site, inputShape, inputShape);
    this.depthRadius = spec.depthRadius ?? LRN_DEFAULTS.depthRadius;
    this.bias = spec.bias ?? LRN_DEFAULTS.bias;
    this.alpha = spec.alpha ?? LRN_DEFAULTS.alpha;
    this.beta = spec.beta ?? LRN_DEFAULTS.beta;
  }

  override forward(x: tf.Tensor): { y: tf.Tensor; cache: LrnCache } {
    const norm = tf.tidy(() => tf.add(this.bias, tf.mul(this.alpha, this.windowSum(tf.square(x)))));
    const scale = tf.pow(norm, -this.beta);
    const y = tf.mul(x, scale);
    const coupling = tf.tidy(() => tf.div(tf.mul(y, 2 * this.alpha * this.beta), norm));
    norm.dispose();
    return { y, cache: { x, scale, coupling } };
  }

  override derivative(cache: LrnCache, dx: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sub(tf.mul(cache.scale, dx), tf.mul(cache.coupling, this.windowSum(tf.mul(cache.x, dx)))));
  }

  override derivativeTransposed(cache: LrnCache, dy: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sub(tf.mul(cache.scale, dy), tf.mul(cache.x, this.windowSum(tf.mul(cache.coupling, dy)))));
  }

  /** Σ_{j∈W(c)} v_j for every c: the channel axis as a column, convolved with 2·depthRadius + 1 ones. */
  private windowSum(v: tf.Tensor): tf.Tensor {
    const channels = v.shape[v.shape.length - 1];
    const columns = tf.reshape(v, [-1, channels, 1, 1]) as tf.Tensor4D;
    const ones = tf.ones([2 * this.depthRadius + 1, 1, 1, 1]) as tf.Tensor4D;
    return tf.reshape(tf.conv2d(columns, ones, 1, 'same'), v.shape);
  }
}
