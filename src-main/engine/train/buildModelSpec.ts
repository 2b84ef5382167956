import type { Dataset } from '../data/dataset';
import { ModelSpecError } from '../errors';
import { buildPresetSpec } from '../nn/presets';
import { validateModelSpec } from '../nn/model';
import type { ModelSpec } from '../../shared/modelSpec';
import type { RunSpec } from '../../shared/runSpec';

/** The network's output width a dataset needs: one logit per class, or one value per target column. */
export function outputSizeFor(dataset: Dataset): number {
  return dataset.task === 'classification' ? dataset.numClasses : dataset.targetSize;
}

/**
 * The model spec of a run: a preset built for the dataset's shapes, or the user's spec (its inputShape
 * may be left out, and is then the dataset's) checked against the dataset.
 */
export function buildModelSpec(spec: RunSpec, dataset: Dataset): ModelSpec {
  const io = { inputShape: dataset.inputShape, outputSize: outputSizeFor(dataset) };
  if (typeof spec.arch === 'string') return buildPresetSpec(spec.arch, spec.archOptions, io);
  const given = spec.arch as Partial<ModelSpec>;
  const model = validateModelSpec({ inputShape: io.inputShape, ...given });
  if (!sameShape(model.inputShape, io.inputShape)) {
    throw new ModelSpecError(
      `the model's inputShape [${model.inputShape}] does not match the dataset's examples [${io.inputShape}]`,
    );
  }
  return model;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
