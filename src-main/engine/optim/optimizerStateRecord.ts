import { sameShape, bracketedShape } from '../nn/shapes';
import type { Params } from '../params';
import { tf } from '../tf';
import type { Optimizer, RunShape } from './optimizer';
import { tensorsIn } from './tensorsIn';

/**
 * An optimizer's state taken out of the backend, to be saved in a checkpoint and put back: its tensors
 * as named float32 arrays (CurveBall's z, Adam's moments, momentum buffers) and the rest as JSON
 * (step counters, λ, running averages), where each tensor stands as `{ "tensor": name }`. Every
 * optimizer keeps all its memory in its state (optax's shape), so this one pair of functions serves
 * them all: getOptimizerState and setOptimizerState.
 */
export interface OptimizerStateRecord {
  tensors: { name: string; shape: number[]; values: Float32Array }[];
  /** The state with each tensor replaced by `{ tensor: name }` and each non-finite number by `{ number: "NaN" }` (JSON has neither). */
  skeleton: unknown;
}

/** The state's tensors read back (named by their path in the state, "z/dense_0/kernel") and its other values. */
export function getOptimizerState(state: unknown): OptimizerStateRecord {
  const tensors: OptimizerStateRecord['tensors'] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (value instanceof tf.Tensor) {
      tensors.push({ name: path, shape: [...value.shape], values: Float32Array.from(value.dataSync()) });
      return { tensor: path };
    }
    if (typeof value === 'number') return Number.isFinite(value) ? value : { number: String(value) };
    if (Array.isArray(value)) return value.map((v, i) => walk(v, join(path, String(i))));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, join(path, k))]));
    return value;
  };
  return { tensors, skeleton: walk(state, '') };
}

/**
 * The state a record describes, for this optimizer (its options as the record's were) on these
 * parameters: its structure and tensor shapes must be those of `optimizer.init(params, run)`, else it
 * throws an Error saying where they differ (the record is another optimizer's, or of other options).
 * Its tensors are new; the caller keeps or disposes them.
 */
export function setOptimizerState<S>(optimizer: Optimizer<S>, params: Params, run: RunShape, record: OptimizerStateRecord): S {
  const template = optimizer.init(params, run);
  const byName = new Map(record.tensors.map((t) => [t.name, t]));
  const made: tf.Tensor[] = [];
  const mismatch = (path: string, expected: string): Error =>
    new Error(`the ${optimizer.name} state does not fit this run at "${path || '/'}": expected ${expected}`);
  const walk = (shape: unknown, saved: unknown, path: string): unknown => {
    // A scalar saved as a number where this backend keeps it as a tensor, or the other way round (CurveBall's
    // λ on webgpu, stepScalars.ts): a run may go on under another backend.
    if (shape instanceof tf.Tensor && shape.rank === 0 && !(isRecord(saved) && 'tensor' in saved)) {
      const scalar = tf.scalar(walk(0, saved, path) as number, shape.dtype);
      made.push(scalar);
      return scalar;
    }
    const storedScalar = typeof shape === 'number' && isRecord(saved) && typeof saved['tensor'] === 'string' ? byName.get(saved['tensor']) : undefined;
    if (storedScalar && storedScalar.shape.length === 0) return storedScalar.values[0];
    if (shape instanceof tf.Tensor) {
      const name = isRecord(saved) && typeof saved['tensor'] === 'string' ? saved['tensor'] : null;
      const stored = name === null ? undefined : byName.get(name);
      if (!stored) throw mismatch(path, `a tensor of shape ${bracketedShape(shape.shape)}`);
      if (!sameShape(stored.shape, shape.shape) || stored.values.length !== shape.size) {
        throw mismatch(path, `shape ${bracketedShape(shape.shape)}, not ${bracketedShape(stored.shape)}`);
      }
      const tensor = tf.tensor(stored.values, shape.shape, shape.dtype);
      made.push(tensor);
      return tensor;
    }
    if (typeof shape === 'number') {
      if (typeof saved === 'number') return saved;
      if (isRecord(saved) && typeof saved['number'] === 'string') return Number(saved['number']);
      throw mismatch(path, 'a number');
    }
    if (Array.isArray(shape)) {
      if (!Array.isArray(saved) || saved.length !== shape.length) throw mismatch(path, `a list of ${shape.length}`);
      return shape.map((v, i) => walk(v, saved[i], join(path, String(i))));
    }
    if (isRecord(shape)) {
      const keys = Object.keys(shape);
      if (!isRecord(saved) || Object.keys(saved).length !== keys.length || !keys.every((k) => Object.hasOwn(saved, k))) {
        throw mismatch(path, `the fields ${keys.join(', ')}`);
      }
      return Object.fromEntries(keys.map((k) => [k, walk(shape[k], saved[k], join(path, k))]));
    }
    if (saved !== shape) throw mismatch(path, JSON.stringify(shape));
    return shape;
  };
  try {
    return walk(template, record.skeleton, '') as S;
  } catch (error) {
    tf.dispose(made);
    throw error;
  } finally {
    tf.dispose(tensorsIn(template));
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}/${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof tf.Tensor);
}
