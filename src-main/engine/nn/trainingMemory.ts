import { ModelSpecError } from '../errors';
import { describeBytes, jobMemoryBytes } from '../memoryLimits';
import type { Model } from './model';
import { product } from './shapes';

/**
 * Parameter-sized float32 tensors alive at a step's peak: the weights, the gradient, the update and the
 * new weights, the optimizer's state (Adam's two moments, CurveBall's z, Hessian-free's conjugate
 * gradient vectors) and the backend's temporaries. Measured on the cpu backend with a 20M-parameter
 * network, a step peaks at about 5× the weights' bytes with SGD, 7× with CurveBall, 10× with Adam and
 * 12× with Hessian-free; 16 leaves room.
 */
const PARAMETER_COPIES = 16;
/**
 * Batch-sized float32 copies of every layer output: the forward pass's cache, the JVP's tangents and
 * the VJP's cotangents of the same shapes. Measured with a two-layer convolutional network in batches of
 * 256, a step peaks at about 1.7 copies with SGD or Hessian-free and 2.5 with CurveBall (a fused convolution and ReLU
 * keep one output where two layers are counted).
 */
const ACTIVATION_COPIES = 3;

/** What training a model for batches of `batchSize` is estimated to take, from its shapes alone. */
export interface TrainingMemoryEstimate {
  parameters: number;
  /** Floats of every layer's output (nested layers included) and the input, for one example. */
  activationsPerExample: number;
  bytes: number;
}

export function estimateTrainingMemory(model: Model, batchSize: number): TrainingMemoryEstimate {
  const { layers, paramCount } = model.describe();
  const activationsPerExample = product(model.inputShape) + layers.reduce((sum, layer) => sum + product(layer.outputShape), 0);
  const floats = PARAMETER_COPIES * paramCount + ACTIVATION_COPIES * batchSize * activationsPerExample;
  return { parameters: paramCount, activationsPerExample, bytes: 4 * floats };
}

/**
 * Refuses, before anything is allocated, a model that would take more memory to train than a run may
 * (jobMemoryBytes(), or `limitBytes`): weights and activations are typed arrays outside the V8 heap, so
 * a worker's resourceLimits would not stop them, and the process would run out of memory instead. A
 * batch is `batchSize` examples, or all `examples` (the training set, where known) when it is 'full' or
 * larger; a batch size that is none (a request whose batchSize has an issue of its own) counts one
 * example. The ModelSpecError names `field` (the run spec's `arch`).
 */
export function checkTrainingMemory(
  model: Model,
  batch: { batchSize: number | 'full'; examples: number | undefined },
  field: string,
  limitBytes = jobMemoryBytes(),
): void {
  const count = (n: unknown): number | undefined => (Number.isSafeInteger(n) && (n as number) > 0 ? (n as number) : undefined);
  const examples = count(batch.examples);
  const batchSize = count(batch.batchSize);
  const size = batch.batchSize === 'full' ? (examples ?? 1) : batchSize === undefined ? 1 : Math.min(batchSize, examples ?? batchSize);
  const estimate = estimateTrainingMemory(model, size);
  if (estimate.bytes <= limitBytes) return;
  throw new ModelSpecError(
    `training this model would take about ${describeBytes(estimate.bytes)} (${estimate.parameters.toLocaleString('en-US')} parameters, ` +
      `${estimate.activationsPerExample.toLocaleString('en-US')} activations per example in batches of ${size.toLocaleString('en-US')}), ` +
      `more than the ${describeBytes(limitBytes)} a run may take on this machine: use a smaller model or smaller batches`,
    field,
  );
}
