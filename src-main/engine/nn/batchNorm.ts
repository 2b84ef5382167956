import type { Params } from '../params';
import { tf } from '../tf';
import type { Layer, LayerContext, ModelState, ParamSpec, StateSpec } from './layer';
import type { LayerSite } from './layerSite';
import type { BatchNormSpec } from '../../shared/modelSpec';
import { requireParam, sumTangents, tangentOf } from './tangents';

interface BatchNormCache {
  /** The normalised input (x − μ) / s. */
  xhat: tf.Tensor;
  /** 1 / s with s = sqrt(σ² + ε), per feature. */
  invStd: tf.Tensor;
  gamma: tf.Tensor;
  /** Train mode: μ and σ² are the batch's, so they depend on x and the derivatives go through them. */
  batchStatistics: boolean;
  /** Every axis but the last (the features). */
  axes: number[];
}

export const DEFAULT_BATCH_NORM_MOMENTUM = 0.9;
export const DEFAULT_BATCH_NORM_EPSILON = 1e-5;

/**
 * Batch normalisation over the last axis (features of [N, F], channels of NHWC): y = γ·x̂ + β.
 * Train mode normalises with the batch mean and biased variance and, on the pass that counts, records
 * running statistics; eval mode normalises with the running statistics (a fixed affine map).
 */
export class BatchNormLayer implements Layer<BatchNormCache> {
  readonly type = 'batchNorm' as const;
  readonly name: string;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: ParamSpec[];
  readonly state: StateSpec[];
  readonly sublayers: readonly Layer[] = [];
  readonly flopsPerExample = 0;
  private readonly gammaName: string;
  private readonly betaName: string;
  private readonly meanName: string;
  private readonly varianceName: string;
  private readonly momentum: number;
  private readonly epsilon: number;

  constructor(site: LayerSite, spec: BatchNormSpec, inputShape: number[]) {
    const features = inputShape[inputShape.length - 1];
    this.name = site.name;
    this.inputShape = inputShape;
    this.outputShape = inputShape;
    this.momentum = spec.momentum ?? DEFAULT_BATCH_NORM_MOMENTUM;
    this.epsilon = spec.epsilon ?? DEFAULT_BATCH_NORM_EPSILON;
    this.gammaName = `${site.name}/gamma`;
    this.betaName = `${site.name}/beta`;
    this.meanName = `${site.name}/movingMean`;
    this.varianceName = `${site.name}/movingVariance`;
    this.params = [
      { name: this.gammaName, shape: [features], init: 'ones', fanIn: features, fanOut: features },
      { name: this.betaName, shape: [features], init: 'zeros', fanIn: features, fanOut: features },
    ];
    this.state = [
      { name: this.meanName, shape: [features], initialValue: 0 },
      { name: this.varianceName, shape: [features], initialValue: 1 },
    ];
  }

  forward(x: tf.Tensor, params: Params, ctx: LayerContext): { y: tf.Tensor; cache: BatchNormCache } {
    const gamma = requireParam(params, this.gammaName);
    const beta = requireParam(params, this.betaName);
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    let xhat: tf.Tensor;
    let invStd: tf.Tensor;
    if (ctx.training) {
      const mean = tf.mean(x, axes);
      const centered = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centered), axes);
      invStd = tf.rsqrt(tf.add(variance, this.epsilon));
      xhat = tf.mul(centered, invStd);
      if (ctx.stateUpdates) this.recordRunningStatistics(ctx, ctx.stateUpdates, mean, variance, x.size / x.shape[x.shape.length - 1]);
    } else {
      invStd = tf.rsqrt(tf.add(this.readState(ctx.state, this.varianceName), this.epsilon));
      xhat = tf.mul(tf.sub(x, this.readState(ctx.state, this.meanName)), invStd);
    }
    const y = tf.add(tf.mul(gamma, xhat), beta);
    return { y, cache: { xhat, invStd, gamma, batchStatistics: ctx.training, axes } };
  }

  jvp(cache: BatchNormCache, dx: tf.Tensor | null, dparams: Params): tf.Tensor | null {
    const dGamma = tangentOf(dparams, this.gammaName);
    return sumTangents(cache.xhat.shape, [
      dx ? tf.tidy(() => tf.mul(cache.gamma, this.normalisedTangent(cache, dx))) : null,
      dGamma ? tf.mul(dGamma, cache.xhat) : null,
      tangentOf(dparams, this.betaName),
    ]);
  }

  vjp(cache: BatchNormCache, dy: tf.Tensor, grads: Params, needInputGrad: boolean): tf.Tensor | null {
    grads[this.gammaName] = tf.tidy(() => tf.sum(tf.mul(dy, cache.xhat), cache.axes));
    grads[this.betaName] = tf.sum(dy, cache.axes);
    if (!needInputGrad) return null;
    // x ↦ x̂ is self-adjoint (a projection scaled by 1/s), so its pull-back has the same form as dx̂.
    return tf.tidy(() => this.normalisedTangent(cache, tf.mul(dy, cache.gamma)));
  }

  /**
   * dx̂ for an input tangent dx. With batch statistics, μ and s move with x: dμ = mean(dx) and
   * ds = mean(x̂·dx), so dx̂ = (dx − dμ)/s − x̂·ds/s = (dx − mean(dx) − x̂·mean(x̂·dx)) / s.
   */
  private normalisedTangent(cache: BatchNormCache, dx: tf.Tensor): tf.Tensor {
    if (!cache.batchStatistics) return tf.mul(dx, cache.invStd);
    const meanDx = tf.mean(dx, cache.axes);
    const meanXhatDx = tf.mean(tf.mul(cache.xhat, dx), cache.axes);
    return tf.mul(tf.sub(tf.sub(dx, meanDx), tf.mul(cache.xhat, meanXhatDx)), cache.invStd);
  }

  /**
   * running ← momentum·running + (1 − momentum)·batch. The running variance takes the unbiased batch
   * variance (n/(n−1)), like PyTorch, since it estimates the population's; normalising uses the biased one.
   * The new tensors live in the caller's scope: keep them to use them past its tidy.
   */
  private recordRunningStatistics(ctx: LayerContext, updates: ModelState, mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const m = this.momentum;
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    const blend = (running: tf.Tensor, batch: tf.Tensor) => tf.add(tf.mul(running, m), tf.mul(batch, 1 - m));
    updates[this.meanName] = tf.tidy(() => blend(this.readState(ctx.state, this.meanName), mean));
    updates[this.varianceName] = tf.tidy(() => blend(this.readState(ctx.state, this.varianceName), unbiased));
  }

  private readState(state: ModelState, name: string): tf.Tensor {
    const t = state[name];
    if (!t) throw new Error(`model state "${name}" is missing from the context (make it with model.initState())`);
    return t;
  }
}
