import type { Loss } from '../losses/loss';
import type { LayerContext } from '../nn/layer';
import type { Model } from '../nn/model';
import type { StepContext } from '../optim/optimizer';
import { disposeParams, keepParams, type Params } from '../params';
import { tf } from '../tf';
import type { PassCounter } from './passCounter';

/**
 * The StepContext of a network on one batch. The forward pass runs once, when the context is made;
 * JVPs and VJPs reuse its cached activations. The gradient is computed on first use and cached.
 * Every tensor it makes lives in the caller's tidy scope (one training step).
 *
 * The batch loss and accuracy stay on the backend (`metrics`) until someone reads `loss` or
 * `accuracy`: on a GPU that read waits for the device, so the trainer may read `metrics` without
 * waiting instead, and only an optimizer that needs the loss itself (CurveBall's λ, Hessian-free)
 * pays for a synchronous read.
 */
export class NetworkStepContext implements StepContext {
  /** [loss] or, for a classification loss, [loss, accuracy], as the loss evaluated them. */
  readonly metrics: tf.Tensor1D;
  readonly outputs: tf.Tensor;
  readonly lossGradient: tf.Tensor;
  private readonly cache: unknown;
  private cachedGradient: Params | null = null;
  private readValues: ArrayLike<number> | null = null;

  constructor(
    readonly step: number,
    private readonly model: Model,
    params: Params,
    private readonly x: tf.Tensor,
    private readonly targets: tf.Tensor,
    private readonly lossFn: Loss,
    /** The context of this step's first pass (it records batch-norm statistics). */
    firstPassContext: LayerContext,
    /** The same step's context for re-evaluations: same dropout masks, no state updates. */
    private readonly reevaluationContext: LayerContext,
    private readonly passes: PassCounter,
  ) {
    const { y, cache } = model.forward(x, params, firstPassContext);
    passes.forward++;
    this.outputs = y;
    this.cache = cache;
    const { numbers, gradient } = lossFn.evaluate(y, targets);
    this.metrics = numbers;
    this.lossGradient = gradient;
  }

  get loss(): number {
    return this.metricValues()[0];
  }

  /** The batch accuracy (classification), else null: read like `loss`. */
  get accuracy(): number | null {
    const values = this.metricValues();
    return values.length > 1 ? values[1] : null;
  }

  /** `metrics` read back, waiting for the backend the first time (the values are kept for the step). */
  metricValues(): ArrayLike<number> {
    this.readValues ??= this.metrics.dataSync();
    return this.readValues;
  }

  gradient(): Params {
    // Kept, so an optimizer that asks for it inside a tidy scope of its own does not dispose the cache;
    // dispose() releases it at the end of the step.
    if (!this.cachedGradient) this.cachedGradient = keepParams(this.vjp(this.lossGradient));
    return this.cachedGradient;
  }

  /** Releases what the context kept beyond the step's tidy scope. */
  dispose(): void {
    disposeParams(this.cachedGradient);
    this.cachedGradient = null;
  }

  jvp(direction: Params): tf.Tensor {
    this.passes.forwardMode++;
    return this.model.jvp(this.cache as never, direction);
  }

  vjp(outputCotangent: tf.Tensor): Params {
    this.passes.backward++;
    return this.model.vjp(this.cache as never, outputCotangent);
  }

  lossHessianVector(v: tf.Tensor): tf.Tensor {
    return this.lossFn.hessianVectorProduct(this.outputs, this.targets, v);
  }

  lossAt(params: Params): number {
    return tf.tidy(() => this.lossScalarAt(params).dataSync()[0]);
  }

  lossScalar(): tf.Scalar {
    return tf.reshape(tf.slice(this.metrics, 0, 1), []);
  }

  lossScalarAt(params: Params): tf.Scalar {
    this.passes.forward++;
    const { y } = this.model.forward(this.x, params, this.reevaluationContext);
    return this.lossFn.value(y, this.targets);
  }
}
