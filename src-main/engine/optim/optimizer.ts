import type { tf } from '../tf';
import type { Params } from '../params';

/**
 * What one training step can give an optimizer. Everything is computed on demand (and the expensive
 * parts cached for the step), so an optimizer pays only for what it uses; each call is charged to the
 * step's pass counts (forward, backward, forward-mode) that the curves can be plotted against.
 *
 * Tensors returned here belong to the step: they are disposed when the step ends, so an optimizer
 * must copy (or derive new tensors from) anything it keeps in its state.
 *
 * Optimizers call these methods inside their own `tf.tidy`, so a context that caches a tensor across
 * calls (the gradient, the outputs) must `tf.keep` it, or the optimizer's tidy will dispose it.
 */
export interface StepContext {
  /** 0-based index of this step in the run. */
  readonly step: number;
  /** The batch loss at the current weights, before this step's update. On a GPU, reading it waits for the device. */
  readonly loss: number;
  /** Network outputs y on this batch (batch × outputs). */
  readonly outputs: tf.Tensor;
  /** dL/dy at the current weights. */
  readonly lossGradient: tf.Tensor;
  /** dL/dw (one backward pass, computed once per step). */
  gradient(): Params;
  /** J·v: the output tangent for a parameter direction v (one forward-mode pass, reusing activations). */
  jvp(direction: Params): tf.Tensor;
  /** Jᵀ·u: pulls an output cotangent back to the parameters (one backward pass). */
  vjp(outputCotangent: tf.Tensor): Params;
  /** H_L·v: Hessian of the loss w.r.t. the outputs times v (closed form, no pass). */
  lossHessianVector(v: tf.Tensor): tf.Tensor;
  /** The loss on this same batch (same dropout mask, no state update) at other weights (one forward pass). */
  lossAt(params: Params): number;
  /** `loss` left on the backend: a scalar, nothing read. */
  lossScalar(): tf.Scalar;
  /** `lossAt` left on the backend (one forward pass, nothing read). */
  lossScalarAt(params: Params): tf.Scalar;
}

/** What an optimizer knows of its run from the start: a learning-rate schedule needs the run's length. */
export interface RunShape {
  /** The steps the run will take. */
  totalSteps: number;
  /** The steps of one pass over the training set (schedules stated in epochs count these). */
  stepsPerEpoch: number;
}

/** The numbers an optimizer reports for a step: stored per step and plotted beside the curves. */
export type Trace = Record<string, number>;

export interface UpdateResult<S> {
  /** The step, up to `scale`: the trainer sets w ← w + scale·updates, in one pass per tensor. */
  updates: Params;
  /**
   * 1 when absent. Lets an optimizer hand over a tensor it already has instead of a scaled copy: SGD's
   * updates are the context's gradient, with scale −lr. The trainer applies them before the step's
   * context is disposed.
   */
  scale?: number;
  /**
   * The new weights, where the optimizer made them with its step (CurveBall on webgpu: w + z in the same
   * pass as z): the trainer takes them instead of adding scale·updates. Equal to w + scale·updates.
   */
  weights?: Params;
  state: S;
  trace: Trace;
  /**
   * More of the step's trace, still on the backend (an optimizer whose trace values are computed there):
   * the trainer reads them with the step's metrics, without waiting, and adds them to `trace`.
   */
  deviceTrace?: DeviceTrace;
}

/**
 * Trace values on the backend, one scalar per name, in order: the trainer reads them in one tensor with
 * the step's metrics, joined by one concat (a stack of them first would be a second dispatch).
 */
export interface DeviceTrace {
  names: string[];
  values: tf.Scalar[];
}

/**
 * An optimizer in the shape of optax: pure functions over an explicit state. `init` and `update` may
 * return tensors created inside the trainer's tidy scope; the trainer keeps what the result holds and
 * disposes the previous state. A state is any mix of plain objects, arrays, Params, numbers and null:
 * its tensors are found by walking it (tensorsIn).
 *
 * `update` never disposes the incoming state and never keeps a StepContext tensor. The new state shares
 * no tensor with the old one (unchanged buffers are cloned), so the trainer may dispose the old state
 * freely. `updates` may be tensors of the new state (CurveBall's z) or of the step context (SGD's
 * gradient): the trainer applies them and disposes nothing of them itself.
 */
export interface Optimizer<S = unknown> {
  readonly name: string;
  init(params: Params, run: RunShape): S;
  update(ctx: StepContext, state: S, params: Params): UpdateResult<S>;
}

