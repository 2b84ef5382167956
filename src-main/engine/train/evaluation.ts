import { gatherRows } from '../data/batches';
import type { Dataset, Split } from '../data/dataset';
import type { Loss } from '../losses/loss';
import type { ModelState } from '../nn/layer';
import { evalContext, type Model } from '../nn/model';
import type { Params } from '../params';
import { tf, tidyValue } from '../tf';

const EVALUATION_BATCH = 1000;

/** A model's mean loss and accuracy (classification; else null) on some examples. */
export interface Evaluation {
  loss: number;
  accuracy: number | null;
}

/**
 * The model in eval mode (batch norm's running statistics, no dropout) on every example of the split,
 * batch by batch, yielding to the event loop between batches; null when `signal` aborts first. The
 * trainer's validation and final train evaluation, and `curvelab evaluate` on a weights file.
 */
export async function evaluateSplit(
  model: Model,
  params: Params,
  state: ModelState,
  split: Split,
  dataset: Dataset,
  loss: Loss,
  signal?: AbortSignal,
): Promise<Evaluation | null> {
  const means = new RunningMeans();
  const ctx = evalContext(state);
  for (let start = 0; start < split.n; start += EVALUATION_BATCH) {
    if (signal?.aborted) return null;
    const n = Math.min(EVALUATION_BATCH, split.n - start);
    const indices = Array.from({ length: n }, (_, i) => start + i);
    const rows = gatherRows(split, indices);
    const metrics = tidyValue(() => {
      const { y } = model.forward(tf.tensor(rows.x, [n, ...dataset.inputShape]), params, ctx);
      const targets = targetTensor(rows.y, n, dataset);
      const acc = loss.accuracy(y, targets);
      return tf.keep(tf.stack(acc ? [loss.value(y, targets), acc] : [loss.value(y, targets)]));
    });
    // Read without waiting in place: on a GPU that would stall it, and a page cannot wait for its GPU at all.
    const read = await readThenDispose(metrics);
    means.add(read[0], read.length > 1 ? read[1] : null, n);
    await yieldToEventLoop();
  }
  return { loss: means.loss(), accuracy: means.accuracy() };
}

/** Weighted means of loss and accuracy over batches. */
export class RunningMeans {
  count = 0;
  private weight = 0;
  private lossSum = 0;
  private accuracySum = 0;
  private hasAccuracy = false;

  add(loss: number, accuracy: number | null, weight = 1): void {
    this.count++;
    this.weight += weight;
    this.lossSum += loss * weight;
    if (accuracy !== null) {
      this.hasAccuracy = true;
      this.accuracySum += accuracy * weight;
    }
  }

  loss(): number {
    return this.lossSum / this.weight;
  }

  /** Its sums, for a checkpoint taken in the middle of an epoch. */
  state(): RunningMeansState {
    return { count: this.count, weight: this.weight, lossSum: this.lossSum, accuracySum: this.accuracySum, hasAccuracy: this.hasAccuracy };
  }

  static fromState(state: RunningMeansState): RunningMeans {
    return Object.assign(new RunningMeans(), state);
  }

  accuracy(): number | null {
    return this.hasAccuracy ? this.accuracySum / this.weight : null;
  }
}

export interface RunningMeansState {
  count: number;
  weight: number;
  lossSum: number;
  accuracySum: number;
  hasAccuracy: boolean;
}

/** A batch's targets: class indices (int32) for classification, else rows of regression targets. */
export function targetTensor(values: Int32Array | Float32Array, n: number, dataset: Dataset): tf.Tensor {
  return dataset.task === 'classification' ? tf.tensor1d(values as Int32Array, 'int32') : tf.tensor2d(values as Float32Array, [n, dataset.targetSize]);
}

/** Starts reading a tensor back without waiting for it; the tensor is disposed once read. */
export function readThenDispose(t: tf.Tensor): Promise<ArrayLike<number>> {
  return t.data().finally(() => t.dispose());
}

export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  // A page (the engine in Chromium) has no setImmediate, and clamps and throttles its timers: a message to
  // itself, through the page's MessageChannel (the cast: Node's typings describe Node's own).
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel() as unknown as { port1: { onmessage: () => void; close(): void }; port2: { postMessage(message: null): void } };
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
