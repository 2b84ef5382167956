import type { Params } from '../params';
import { tf } from '../tf';
import { sameShape } from './shapes';

/**
 * Helpers for the "null means zero" convention of the JVP and VJP rules (a missing tangent costs no
 * work, and a sum of tangents is null only when every term is), and for looking parameters up by name.
 */

/** The sum of the present terms, broadcast to `shape` (a lone bias tangent has no batch axis); null if none. */
export function sumTangents(shape: number[], terms: (tf.Tensor | null)[]): tf.Tensor | null {
  const present = terms.filter((t): t is tf.Tensor => t !== null);
  if (present.length === 0) return null;
  const sum = present.reduce((a, b) => tf.add(a, b));
  return sameShape(sum.shape, shape) ? sum : tf.broadcastTo(sum, shape);
}

/** A parameter tangent from a direction, or null when the direction leaves it out. */
export function tangentOf(dparams: Params, name: string): tf.Tensor | null {
  return dparams[name] ?? null;
}

/** A parameter value the layer cannot run without. */
export function requireParam(params: Params, name: string): tf.Tensor {
  const t = params[name];
  if (!t) throw new Error(`parameter "${name}" is missing from the params passed to forward`);
  return t;
}
