import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { tensorsIn } from './tensorsIn';

const ids = (tensors: tf.Tensor[]): number[] => tensors.map((t) => t.id);

describe('tensorsIn', () => {
  it('finds the tensors of nested objects, arrays and Params records, skipping numbers and null', () => {
    const [a, b, c, d] = [1, 2, 3, 4].map((x) => tf.scalar(x));
    const state = { step: 3, lambda: null, buffers: [{ w: a, b }, null, 7], z: { 'dense_0/kernel': c }, nested: [[d]] };
    expect(ids(tensorsIn(state))).toEqual(ids([a, b, c, d]));
    tf.dispose([a, b, c, d]);
  });

  it('lists a tensor met twice once', () => {
    const t = tf.scalar(1);
    expect(ids(tensorsIn({ updates: { w: t }, state: [t] }))).toEqual([t.id]);
    t.dispose();
  });

  it('finds nothing in a state without tensors, and the tensor itself in a bare tensor', () => {
    for (const state of [null, undefined, 0, {}, [], { count: 2, m: {} }]) expect(tensorsIn(state)).toEqual([]);
    const t = tf.scalar(1);
    expect(ids(tensorsIn(t))).toEqual([t.id]);
    t.dispose();
  });

  it('does not walk into other class instances', () => {
    const t = tf.scalar(1);
    expect(tensorsIn({ holder: new Map([['t', t]]) })).toEqual([]);
    t.dispose();
  });
});
