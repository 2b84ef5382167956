import type { NormalizationStats } from '../data/dataset';
import { WeightsFileError } from '../errors';
import type { ModelState } from '../nn/layer';
import type { Model } from '../nn/model';
import { bracketedShape, sameShape } from '../nn/shapes';
import type { Params } from '../params';
import { tf } from '../tf';
import type { ModelSpec } from '../../shared/modelSpec';
import { float32Values, type Float32Tensor, type SafetensorsFile, type TensorEntry } from './safetensors';
import { inversePermutation, permuteAxes, weightLayout, type WeightSlot } from './weightLayout';

/**
 * A model's weights as named tensors in PyTorch's names and layouts (weightLayout): what a weights file
 * holds, and what a checkpoint can reuse for the model's part of a run's state.
 */
export interface ModelWeights {
  modelSpec: ModelSpec;
  /** Parameters and batch-norm statistics, in the model's order of layers. */
  tensors: Float32Tensor[];
  /** The standardisation of the inputs the model was trained on, (x − mean) / std per channel or column. */
  inputNormalization?: NormalizationStats;
}

/** The model's parameters and running statistics as named tensors (reads them back from the backend). */
export function modelWeights(model: Model, params: Params, state: ModelState): ModelWeights {
  const tensors = weightLayout(model).map((slot) => {
    const source = (slot.kind === 'param' ? params : state)[slot.engineName];
    if (!source) throw new Error(`modelWeights: ${slot.kind} "${slot.engineName}" is missing`);
    return { name: slot.fileName, shape: slot.fileShape, values: permuteAxes(source.dataSync() as Float32Array, slot.view, slot.perm) };
  });
  return { modelSpec: model.spec, tensors };
}

/**
 * Checks that a file's tensors (names and shapes) are exactly this model's: none missing, none more (but
 * PyTorch's `num_batches_tracked` of a batch norm, which CurveLab does not use), each of the model's
 * shape. Refuses naming the file; returns the model's slots. Reads no tensor data, so it serves a check
 * of the header alone.
 */
export function checkWeightsFit(model: Model, tensors: readonly Pick<TensorEntry, 'name' | 'shape'>[], file: string): WeightSlot[] {
  const slots = weightLayout(model);
  const wanted = new Set(slots.map((s) => s.fileName));
  const batchNorms = new Set(slots.filter((s) => s.kind === 'state').map((s) => s.fileName.slice(0, s.fileName.lastIndexOf('.'))));
  const given = new Map(tensors.map((t) => [t.name, t]));
  const missing = slots.filter((s) => !given.has(s.fileName)).map((s) => s.fileName);
  const extra = tensors.map((t) => t.name).filter((name) => !wanted.has(name) && !batchNorms.has(name.replace(/\.num_batches_tracked$/, '')));
  if (missing.length > 0 || extra.length > 0) {
    const lacks = missing.length > 0 ? [`lacks ${listed(missing)}`] : [];
    const more = extra.length > 0 ? [`has ${listed(extra)}, which this model does not`] : [];
    throw new WeightsFileError(file, `these are another model's weights: the file ${[...lacks, ...more].join(' and ')} (${modelSize(slots)})`);
  }
  for (const slot of slots) {
    const shape = given.get(slot.fileName)!.shape;
    if (!sameShape(shape, slot.fileShape)) {
      throw new WeightsFileError(
        file,
        `tensor "${slot.fileName}" has shape ${bracketedShape(shape)}, but this model's is ${bracketedShape(slot.fileShape)}: these are another model's weights`,
      );
    }
  }
  return slots;
}

/** The model's parameters and running statistics from a decoded weights file, checked with checkWeightsFit. */
export function weightsIntoModel(model: Model, decoded: SafetensorsFile, file: string): { params: Params; state: ModelState } {
  const slots = checkWeightsFit(model, decoded.tensors, file);
  const entries = new Map(decoded.tensors.map((t) => [t.name, t]));
  const values = new Map<string, Float32Array>();
  for (const slot of slots) {
    const entry = entries.get(slot.fileName)!;
    const stored = float32Values(entry, decoded.bytesOf(entry), file);
    values.set(slot.engineName, permuteAxes(stored, slot.perm.map((axis) => slot.view[axis]), inversePermutation(slot.perm)));
  }
  const params: Params = {};
  for (const p of model.params) params[p.name] = tf.tensor(values.get(p.name)!, p.shape);
  const state: ModelState = {};
  for (const s of model.state) state[s.name] = tf.tensor(values.get(s.name)!, s.shape);
  return { params, state };
}

/** "a, b, c and 4 more" */
function listed(names: string[], shown = 4): string {
  const quoted = names.slice(0, shown).map((n) => `"${n}"`);
  return names.length > shown ? `${quoted.join(', ')} and ${names.length - shown} more` : quoted.join(', ');
}

function modelSize(slots: WeightSlot[]): string {
  return `this model has ${slots.length} tensors, from "${slots[0]?.fileName ?? ''}" to "${slots[slots.length - 1]?.fileName ?? ''}"`;
}
