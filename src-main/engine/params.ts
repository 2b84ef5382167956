import { axpbyEach, pairInnerProducts } from './ops';
import { tf } from './tf';

/**
 * The trainable parameters of a model, or anything shaped like them (gradients, directions, momentum
 * buffers): a flat record from a parameter name ("dense_0/kernel") to a tensor. Key order is the
 * model's parameter order. These helpers treat a Params as one long vector.
 */
export type Params = Record<string, tf.Tensor>;

export function mapParams(p: Params, f: (t: tf.Tensor, name: string) => tf.Tensor): Params {
  const out: Params = {};
  for (const k of Object.keys(p)) out[k] = f(p[k], k);
  return out;
}

export function zerosLikeParams(p: Params): Params {
  return mapParams(p, (t) => tf.zerosLike(t));
}

/** a + b */
export function addParams(a: Params, b: Params): Params {
  return combineParams(1, a, 1, b);
}

/** a + s · b: how the trainer applies an update. */
export function addScaledParams(a: Params, s: number, b: Params): Params {
  return combineParams(1, a, s, b);
}

/** a − b */
export function subParams(a: Params, b: Params): Params {
  return mapParams(a, (t, k) => tf.sub(t, b[k]));
}

/** s · a */
export function scaleParams(a: Params, s: number): Params {
  return mapParams(a, (t) => tf.mul(t, s));
}

/** sa · a + sb · b, in one fused kernel call where the backend has it; sa and sb numbers or scalars on the backend. */
export function combineParams(sa: number | tf.Scalar, a: Params, sb: number | tf.Scalar, b: Params): Params {
  const keys = Object.keys(a);
  return paramsOf(keys, axpbyEach(sa, keys.map((k) => a[k]), sb, keys.map((k) => b[k])));
}

/** The tensors an op over lists of tensors returned (one per key, in order) as Params under those keys. */
export function paramsOf(keys: string[], tensors: tf.Tensor[]): Params {
  return Object.fromEntries(keys.map((k, i) => [k, tensors[i]]));
}

/** The pairs of tensors whose inner products add up to ⟨a, b⟩. */
export function paramPairs(a: Params, b: Params): [tf.Tensor, tf.Tensor][] {
  return Object.keys(a).map((k) => [a[k], b[k]]);
}

/** Per-parameter inner products as one small tensor, so several can be read back in one sync. */
export function dotParamsParts(a: Params, b: Params): tf.Tensor1D {
  return pairInnerProducts(paramPairs(a, b));
}

/** <a, b>, accumulated in float64 across parameters. */
export function dotParams(a: Params, b: Params): number {
  return sumFloat64(dotParamsParts(a, b).dataSync());
}

export function sumFloat64(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

export function disposeParams(p: Params | null | undefined): void {
  if (!p) return;
  for (const t of Object.values(p)) t.dispose();
}

export function keepParams(p: Params): Params {
  for (const t of Object.values(p)) tf.keep(t);
  return p;
}

export function countParams(p: Params): number {
  let n = 0;
  for (const t of Object.values(p)) n += t.size;
  return n;
}
