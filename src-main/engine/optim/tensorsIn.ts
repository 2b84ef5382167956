import { tf } from '../tf';

/**
 * Every tensor in a value made of plain objects (Params among them), arrays, tensors, numbers and null,
 * each once, in the order met: how the trainer keeps and disposes an optimizer's state, whatever its shape.
 */
export function tensorsIn(value: unknown): tf.Tensor[] {
  const found = new Set<tf.Tensor>();
  const walk = (v: unknown): void => {
    if (v instanceof tf.Tensor) found.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainObject(v)) Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const prototype = Object.getPrototypeOf(v);
  return prototype === Object.prototype || prototype === null;
}
