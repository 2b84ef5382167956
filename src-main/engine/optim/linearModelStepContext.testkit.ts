/**
 * Test support (not product code): a StepContext for an explicit linear model y = X·W + b, whose
 * Jacobian is known in closed form — J·(dW, db) = X·dW + db and Jᵀ·u = (Xᵀu, Σ_rows u) — so optimizers
 * can be tested before (and independently of) the network engine.
 */
import { tf } from '../tf';
import type { Loss } from '../losses/loss';
import type { Params } from '../params';
import { Rng } from '../rng';
import type { StepContext } from './optimizer';

export const KERNEL = 'dense/kernel';
export const BIAS = 'dense/bias';

export interface LinearProblem {
  /** Inputs [N, D]. */
  x: tf.Tensor2D;
  /** Class labels (int32 [N]) or regression targets [N, C]. */
  targets: tf.Tensor;
  loss: Loss;
}

/** X·W (+ b when the params have a bias). */
export function linearOutputs(x: tf.Tensor2D, params: Params): tf.Tensor {
  return tf.tidy(() => {
    const xw = tf.matMul(x, params[KERNEL] as tf.Tensor2D);
    return params[BIAS] ? tf.add(xw, params[BIAS]) : xw;
  });
}

export function lossValue(problem: LinearProblem, params: Params): number {
  return tf.tidy(() => problem.loss.value(linearOutputs(problem.x, params), problem.targets).dataSync()[0]);
}

/** How often each StepContext method was called: what an optimizer costs in passes. */
export interface CallCounts {
  gradient: number;
  jvp: number;
  vjp: number;
  lossAt: number;
}

export class LinearModelStepContext implements StepContext {
  readonly loss: number;
  readonly outputs: tf.Tensor;
  readonly lossGradient: tf.Tensor;
  readonly calls: CallCounts = { gradient: 0, jvp: 0, vjp: 0, lossAt: 0 };
  private cachedGradient: Params | null = null;
  private readonly hasBias: boolean;

  constructor(
    private readonly problem: LinearProblem,
    params: Params,
    readonly step: number,
  ) {
    this.hasBias = BIAS in params;
    this.outputs = linearOutputs(problem.x, params);
    this.lossGradient = problem.loss.gradient(this.outputs, problem.targets);
    this.loss = tf.tidy(() => problem.loss.value(this.outputs, problem.targets).dataSync()[0]);
  }

  gradient(): Params {
    this.calls.gradient++;
    // Cached without tf.keep, like the network's context: an optimizer that first asks for the gradient
    // inside its own tidy would dispose the cache (see cachedGradientIntact).
    if (!this.cachedGradient) this.cachedGradient = this.pullBack(this.lossGradient);
    return this.cachedGradient;
  }

  /** False when the cached gradient was disposed during the step (by an optimizer's tidy). */
  cachedGradientIntact(): boolean {
    return Object.values(this.cachedGradient ?? {}).every((t) => !t.isDisposed);
  }

  jvp(direction: Params): tf.Tensor {
    this.calls.jvp++;
    return tf.tidy(() => {
      const xdw = tf.matMul(this.problem.x, direction[KERNEL] as tf.Tensor2D);
      return this.hasBias ? tf.add(xdw, direction[BIAS]) : xdw;
    });
  }

  vjp(outputCotangent: tf.Tensor): Params {
    this.calls.vjp++;
    return this.pullBack(outputCotangent);
  }

  lossHessianVector(v: tf.Tensor): tf.Tensor {
    return this.problem.loss.hessianVectorProduct(this.outputs, this.problem.targets, v);
  }

  lossAt(params: Params): number {
    this.calls.lossAt++;
    return lossValue(this.problem, params);
  }

  lossScalar(): tf.Scalar {
    return tf.scalar(this.loss);
  }

  lossScalarAt(params: Params): tf.Scalar {
    return tf.scalar(this.lossAt(params));
  }

  dispose(): void {
    tf.dispose([this.outputs, this.lossGradient, ...Object.values(this.cachedGradient ?? {})]);
  }

  private pullBack(u: tf.Tensor): Params {
    return tf.tidy(() => {
      const result: Params = { [KERNEL]: tf.matMul(this.problem.x, u as tf.Tensor2D, true, false) };
      if (this.hasBias) result[BIAS] = tf.sum(u, 0);
      return result;
    });
  }
}

/** Deterministic standard-normal numbers for test data. */
export function normalArray(seed: number, count: number, scale = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => rng.normal() * scale);
}

/** A random linear problem: N × D inputs, a linear model with C outputs (and a bias). */
export function randomLinearParams(seed: number, d: number, c: number, scale = 0.1, withBias = true): Params {
  const params: Params = { [KERNEL]: tf.tensor2d(normalArray(seed, d * c, scale), [d, c]) };
  if (withBias) params[BIAS] = tf.tensor1d(normalArray(seed + 1, c, scale));
  return params;
}

/** A linear problem together with its data as plain arrays (for float64 references in tests). */
export interface LinearProblemData extends LinearProblem {
  xRows: number[][];
  /** Labels (classification) or one target row per example (regression). */
  labels: number[];
  targetRows: number[][];
  dispose(): void;
}

/** Regression: t = X·w* + b* + noise, N × D inputs, one output, fitted with mean squared error. */
export function regressionProblem(seed: number, n: number, d: number, loss: Loss): LinearProblemData {
  const xFlat = normalArray(seed, n * d);
  const wTrue = normalArray(seed + 1, d);
  const noise = normalArray(seed + 2, n, 0.1);
  const xRows = Array.from({ length: n }, (_, i) => xFlat.slice(i * d, (i + 1) * d));
  const targetRows = xRows.map((row, i) => [row.reduce((s, x, j) => s + x * wTrue[j], 0) + 0.5 + noise[i]]);
  const x = tf.tensor2d(xRows);
  const targets = tf.tensor2d(targetRows);
  return { x, targets, loss, xRows, labels: [], targetRows, dispose: () => tf.dispose([x, targets]) };
}

/** Classification: N × D Gaussian inputs with labels from a random linear teacher plus noise. */
export function classificationProblem(seed: number, n: number, d: number, c: number, loss: Loss): LinearProblemData {
  const xFlat = normalArray(seed, n * d);
  const teacher = normalArray(seed + 1, d * c);
  const noise = normalArray(seed + 2, n * c, 0.5);
  const xRows = Array.from({ length: n }, (_, i) => xFlat.slice(i * d, (i + 1) * d));
  const labels = xRows.map((row, i) => {
    const scores = Array.from({ length: c }, (_, k) => row.reduce((s, x, j) => s + x * teacher[j * c + k], 0) + noise[i * c + k]);
    return scores.indexOf(Math.max(...scores));
  });
  const x = tf.tensor2d(xRows);
  const targets = tf.tensor1d(labels, 'int32');
  return { x, targets, loss, xRows, labels, targetRows: [], dispose: () => tf.dispose([x, targets]) };
}

/** A linear-model context whose re-evaluated loss is scripted, to put the fit ratio where a test wants it. */
export class ScriptedLossContext extends LinearModelStepContext {
  constructor(
    problem: LinearProblem,
    params: Params,
    step: number,
    private readonly scriptedLoss: (lossBefore: number) => number,
  ) {
    super(problem, params, step);
  }
  override lossAt(): number {
    return this.scriptedLoss(this.loss);
  }
}
