import { createHash } from 'node:crypto';
import { CheckpointFileError, UserInputError } from '../errors';
import type { ModelState } from '../nn/layer';
import type { Model } from '../nn/model';
import { bracketedShape, sameShape } from '../nn/shapes';
import type { Optimizer, RunShape } from '../optim/optimizer';
import { getOptimizerState, setOptimizerState, type OptimizerStateRecord } from '../optim/optimizerStateRecord';
import type { Params } from '../params';
import type { RngState } from '../rng';
import { tf } from '../tf';
import type { RunningMeansState } from '../train/evaluation';
import type { PassCounter } from '../train/passCounter';
import type { EpochEvent } from '../train/trainEvents';
import { decodeSafetensors, encodeSafetensors, float32Values, type Float32Tensor } from '../weights/safetensors';
import type { RunSpec } from '../../shared/runSpec';

/**
 * A run's checkpoint: everything its training loop needs to go on exactly as if it had not stopped. A
 * safetensors file (the weights' format): the parameters (`param/<name>`), batch-norm statistics
 * (`state/<name>`) and optimizer tensors (`optimizer/<path in its state>`) in the engine's own names and
 * layouts (a checkpoint is read back only by CurveLab, and every network has these, while PyTorch's
 * layout does not fit every one); in `__metadata__` the format version, the run spec it belongs to, the
 * loop's position (TrainingProgress), the optimizer's other values, and a SHA-256 of all that and the
 * tensors' bytes, so a damaged file is refused rather than resumed from.
 */
export const CHECKPOINT_FORMAT_VERSION = 1;

const metadataKeys = {
  version: 'curvelab.checkpointFormat',
  runSpec: 'curvelab.runSpec',
  progress: 'curvelab.progress',
  optimizer: 'curvelab.optimizerState',
  digest: 'curvelab.sha256',
} as const;

/** Where a run's training loop stands between two steps, besides its tensors. */
export interface TrainingProgress {
  /** Steps taken. */
  step: number;
  /** The epoch the next step belongs to, and how many of its batches were taken. */
  epoch: number;
  batchInEpoch: number;
  /** The batch-order generator as it was before it drew this epoch's order, and the augmentation generator now. */
  epochOrderRng: RngState;
  augmentRng: RngState;
  /** Seconds of training so far. */
  seconds: number;
  passes: Pick<PassCounter, 'forward' | 'backward' | 'forwardMode'>;
  /** This epoch's running means so far. */
  epochMeans: RunningMeansState;
  /** The first step's loss (the divergence rule's reference). */
  firstLoss: number | null;
  lastTrainLoss: number | null;
  lastEpoch: EpochEvent | null;
}

/** The tensors a run carries from step to step. */
export interface TrainingTensors {
  params: Params;
  modelState: ModelState;
  optimizerState: unknown;
}

export interface TrainingCheckpoint extends TrainingTensors {
  progress: TrainingProgress;
}

/** What a checkpoint must belong to: checked as it is read. */
export interface CheckpointOwner {
  spec: RunSpec;
  model: Model;
  optimizer: Optimizer;
  run: RunShape;
}

/** The fields of a run spec that do not change its trajectory: a checkpoint of a run differing only in these resumes it. */
const sideFields = new Set<string>(['checkpointEvery']);

/** The checkpoint's bytes (reads the tensors back from the backend). */
export function encodeCheckpoint(spec: RunSpec, progress: TrainingProgress, tensors: TrainingTensors): Uint8Array {
  const read = (prefix: string, record: Record<string, tf.Tensor>): Float32Tensor[] =>
    Object.entries(record).map(([name, t]) => ({ name: `${prefix}/${name}`, shape: [...t.shape], values: Float32Array.from(t.dataSync()) }));
  const optimizer = getOptimizerState(tensors.optimizerState);
  const all = [
    ...read('param', tensors.params),
    ...read('state', tensors.modelState),
    ...optimizer.tensors.map((t) => ({ ...t, name: `optimizer/${t.name}` })),
  ];
  const metadata = {
    [metadataKeys.version]: String(CHECKPOINT_FORMAT_VERSION),
    [metadataKeys.runSpec]: canonicalJson(withoutSideFields(spec)),
    [metadataKeys.progress]: JSON.stringify(progress),
    [metadataKeys.optimizer]: JSON.stringify(optimizer.skeleton),
  };
  const digest = digestOf(metadata, all.map((t) => ({ name: t.name, bytes: new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength) })));
  return encodeSafetensors(all, { ...metadata, [metadataKeys.digest]: digest });
}

/**
 * A checkpoint's content, checked in full against its owner: the format (a truncated file, a newer
 * version, a digest that does not match), then that it is this run's (same spec), then every tensor's
 * name and shape. Refusals are CheckpointFileErrors naming the file. The tensors are new: the caller
 * keeps or disposes them.
 */
export function decodeCheckpoint(bytes: Uint8Array, file: string, owner: CheckpointOwner): TrainingCheckpoint {
  const refuse = (problem: string) => new CheckpointFileError(file, problem);
  let decoded;
  try {
    decoded = decodeSafetensors(bytes, file);
  } catch (error) {
    throw refuse(`not a readable checkpoint: ${error instanceof UserInputError ? error.message.replace(`${file}: `, '') : String(error)}`);
  }
  const { metadata } = decoded;
  const version = metadata[metadataKeys.version];
  if (version === undefined || !/^[1-9]\d*$/.test(version)) throw refuse('not a CurveLab checkpoint (it has no checkpoint format version)');
  if (Number(version) > CHECKPOINT_FORMAT_VERSION) {
    throw refuse(`written in checkpoint format ${version} by a newer CurveLab; this one reads format ${CHECKPOINT_FORMAT_VERSION}`);
  }
  const { [metadataKeys.digest]: digest, ...signed } = metadata;
  const inFileOrder = [...decoded.tensors].sort((a, b) => a.byteOffset - b.byteOffset);
  if (digest !== digestOf(signed, inFileOrder.map((t) => ({ name: t.name, bytes: decoded.bytesOf(t) })))) throw refuse('the file is damaged: its content does not match the SHA-256 it was written with');

  const spec = parseJson(metadata[metadataKeys.runSpec], 'run spec', refuse) as Record<string, unknown>;
  const expected = withoutSideFields(owner.spec) as Record<string, unknown>;
  const differing = [...new Set([...Object.keys(spec), ...Object.keys(expected)])].find((k) => canonicalJson(spec[k]) !== canonicalJson(expected[k]));
  if (differing !== undefined) {
    throw refuse(`this is another run's checkpoint: its spec has ${differing} ${canonicalJson(spec[differing]) ?? 'unset'}, this run's ${canonicalJson(expected[differing]) ?? 'unset'}`);
  }

  const entries = new Map(decoded.tensors.map((t) => [t.name, t]));
  const made: tf.Tensor[] = [];
  const take = (name: string, shape: readonly number[]): tf.Tensor => {
    const entry = entries.get(name);
    if (!entry) throw refuse(`tensor "${name}" is missing: this is another model's checkpoint`);
    if (!sameShape(entry.shape, shape)) {
      throw refuse(`tensor "${name}" has shape ${bracketedShape(entry.shape)}, but this model's is ${bracketedShape(shape)}: this is another model's checkpoint`);
    }
    entries.delete(name);
    const tensor = tf.tensor(float32Values(entry, decoded.bytesOf(entry), file), [...shape]);
    made.push(tensor);
    return tensor;
  };
  try {
    const params = Object.fromEntries(owner.model.params.map((p) => [p.name, take(`param/${p.name}`, p.shape)]));
    const modelState = Object.fromEntries(owner.model.state.map((s) => [s.name, take(`state/${s.name}`, s.shape)]));
    const extra = [...entries.keys()].filter((name) => !name.startsWith('optimizer/'));
    if (extra.length > 0) throw refuse(`tensor "${extra[0]}" is not this model's: this is another model's checkpoint`);
    const record: OptimizerStateRecord = {
      skeleton: parseJson(metadata[metadataKeys.optimizer], 'optimizer state', refuse),
      tensors: [...entries.values()].map((t) => ({ name: t.name.slice('optimizer/'.length), shape: t.shape, values: float32Values(t, decoded.bytesOf(t), file) })),
    };
    let optimizerState: unknown;
    try {
      optimizerState = setOptimizerState(owner.optimizer, params, owner.run, record);
    } catch (error) {
      throw refuse((error as Error).message);
    }
    const progress = parseJson(metadata[metadataKeys.progress], 'progress', refuse) as TrainingProgress;
    return { progress, params, modelState, optimizerState };
  } catch (error) {
    tf.dispose(made);
    throw error;
  }
}

/**
 * SHA-256 of the metadata and of each tensor's name and little-endian bytes in file order (a Float32Array's
 * own bytes on the little-endian machines CurveLab runs on).
 */
function digestOf(metadata: Record<string, string>, tensors: { name: string; bytes: Uint8Array }[]): string {
  const hash = createHash('sha256').update(canonicalJson(metadata));
  for (const t of tensors) hash.update(t.name).update(t.bytes);
  return hash.digest('hex');
}

function withoutSideFields(spec: RunSpec): Partial<RunSpec> {
  return Object.fromEntries(Object.entries(spec).filter(([key, value]) => !sideFields.has(key) && value !== undefined));
}

function parseJson(text: string | undefined, what: string, refuse: (problem: string) => Error): unknown {
  try {
    if (text !== undefined) return JSON.parse(text);
  } catch {
    // refused below
  }
  throw refuse(`its ${what} is missing or not JSON`);
}

/** JSON with every object's keys sorted: two specs that differ only in key order read the same. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
