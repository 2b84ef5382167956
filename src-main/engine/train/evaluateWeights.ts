import { loadDataset } from '../data/loadDataset';
import { WeightsFileError } from '../errors';
import { lossFor } from '../losses/lossFor';
import { disposeParams } from '../params';
import { weightsIntoModel } from '../weights/modelWeights';
import { readWeightsFile, weightsMetadataKeys } from '../weights/weightsFile';
import type { RunSpec } from '../../shared/runSpec';
import { buildModel, datasetIO } from './buildModel';
import { evaluateSplit, type Evaluation } from './evaluation';

export interface WeightsEvaluationRequest {
  /** The safetensors file. */
  weights: string;
  /** As a run spec names it: `mnist` or a path, and a CSV's target. */
  dataset: string;
  target?: string;
  /** The architecture; absent, the model spec the file carries. */
  arch?: RunSpec['arch'];
  archOptions?: Record<string, string>;
  split: 'validation' | 'train';
  /** A CSV's validation hold-out is drawn from a seed; absent, the seed of the run that wrote the file (else 0). */
  seed?: number;
}

export interface WeightsEvaluation extends Evaluation {
  dataset: string;
  split: 'validation' | 'train';
  examples: number;
}

/**
 * The loss and accuracy of a weights file's model (eval mode) on every example of a dataset's split,
 * on the active backend. The architecture is the one given or the file's own; the weights must be its
 * (WeightsFileError naming the file otherwise), and the model must fit the data (ModelSpecError).
 */
export async function evaluateWeights(request: WeightsEvaluationRequest): Promise<WeightsEvaluation> {
  const file = await readWeightsFile(request.weights);
  const arch = request.arch ?? file.modelSpec;
  if (arch === null) throw new WeightsFileError(file.file, 'the file carries no model spec (a plain safetensors file): give the architecture (--arch)');
  const seed = request.seed ?? runSeedOf(file.metadata) ?? 0;
  const dataset = await loadDataset(request.dataset, { ...(request.target !== undefined ? { target: request.target } : {}), seed });
  const model = buildModel(arch, request.arch !== undefined ? (request.archOptions ?? {}) : {}, datasetIO(dataset));
  const { params, state } = weightsIntoModel(model, file, file.file);
  try {
    const split = request.split === 'train' ? dataset.train : dataset.validation;
    const evaluation = (await evaluateSplit(model, params, state, split, dataset, lossFor(dataset.task)))!;
    return { ...evaluation, dataset: dataset.name, split: request.split, examples: split.n };
  } finally {
    disposeParams(params);
    disposeParams(state);
  }
}

function runSeedOf(metadata: Record<string, string>): number | undefined {
  try {
    const seed: unknown = JSON.parse(metadata[weightsMetadataKeys.runSpec] ?? 'null')?.seed;
    return Number.isSafeInteger(seed) ? (seed as number) : undefined;
  } catch {
    return undefined;
  }
}
