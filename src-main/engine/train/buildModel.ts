import type { Dataset } from '../data/dataset';
import { ModelSpecError } from '../errors';
import { Model, validateModelSpec } from '../nn/model';
import { buildPresetSpec, type ModelIO } from '../nn/presets';
import { sameShape } from '../nn/shapes';
import type { ModelSpec } from '../../shared/modelSpec';
import type { RunSpec } from '../../shared/runSpec';

export type { ModelIO };

/** The shapes a dataset asks of a network: its examples, and one logit per class or one value per target. */
export function datasetIO(dataset: Dataset): ModelIO {
  return { inputShape: dataset.inputShape, outputSize: dataset.task === 'classification' ? dataset.numClasses : dataset.targetSize };
}

/**
 * The network of a run's `arch` and `archOptions` for these shapes, checked in full: a preset's name
 * and options, every field of a JSON model spec (its inputShape may be left out and is then the
 * data's), the spec's inputShape against the data's, every layer against its input (the network is
 * built), and the output against the data's classes or targets. The one check of a model: the lab runs
 * it on a request (with the registered dataset's shapes) before it writes anything, describeArchitecture
 * runs it, and the trainer runs it on the loaded data. Building allocates no tensors.
 *
 * Throws ModelSpecError whose `field` is a dotted path in the run spec: `arch`, `archOptions.widths`,
 * `arch.inputShape`, `arch.layers.2.units`.
 */
export function buildModel(arch: RunSpec['arch'], archOptions: Record<string, string>, io: ModelIO): Model {
  const model = typeof arch === 'string' ? presetModel(arch, archOptions, io) : specModel(arch, io);
  if (!sameShape(model.outputShape, [io.outputSize])) {
    const last = model.spec.layers.length - 1;
    throw new ModelSpecError(
      `the model's output shape [${model.outputShape}] does not match the dataset: expected [${io.outputSize}]`,
      typeof arch === 'string' ? 'arch' : `arch.layers.${last}`,
    );
  }
  return model;
}

function presetModel(name: string, options: Record<string, string>, io: ModelIO): Model {
  // A preset's own errors name `arch` or its option; a layer of it that does not fit is the preset's, too.
  const spec = buildPresetSpec(name, options, io);
  return inRunSpec(() => Model.fromSpec(spec), () => 'arch');
}

function specModel(given: ModelSpec, io: ModelIO): Model {
  return inRunSpec(
    () => {
      const spec = validateModelSpec({ inputShape: io.inputShape, ...(given as Partial<ModelSpec>) });
      if (!sameShape(spec.inputShape, io.inputShape)) {
        throw new ModelSpecError(
          `the model's inputShape [${spec.inputShape}] does not match the dataset's examples [${io.inputShape}]`,
          'inputShape',
        );
      }
      return Model.fromSpec(spec);
    },
    (field) => (field === undefined ? 'arch' : `arch.${field.replace(/\[(\d+)\]/g, '.$1')}`),
  );
}

/** Runs a model spec check, placing its error's field (a path inside the spec) in the run spec. */
function inRunSpec(build: () => Model, place: (field: string | undefined) => string): Model {
  try {
    return build();
  } catch (error) {
    if (error instanceof ModelSpecError) throw new ModelSpecError(error.message, place(error.field));
    throw error;
  }
}
