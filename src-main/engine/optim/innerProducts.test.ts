import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { readInnerProducts } from './innerProducts';

describe('readInnerProducts', () => {
  it('computes several inner products of params and of plain tensors at once', () => {
    const a = { w: tf.tensor2d([[1, 2], [3, 4]]), b: tf.tensor1d([0.5, -1]) };
    const b = { w: tf.tensor2d([[2, 0], [-1, 1]]), b: tf.tensor1d([4, 3]) };
    const y = tf.tensor2d([[1, -1, 2]]);
    const before = tf.memory().numTensors;
    const d = readInnerProducts({ ab: [a, b], aa: [a, a], yy: [y, y] });
    expect(tf.memory().numTensors).toBe(before);
    expect(d.ab).toBeCloseTo(2 + 0 - 3 + 4 + 2 - 3, 6); // 2
    expect(d.aa).toBeCloseTo(1 + 4 + 9 + 16 + 0.25 + 1, 6);
    expect(d.yy).toBeCloseTo(6, 6);
    tf.dispose([...Object.values(a), ...Object.values(b), y]);
  });

  it('adds the per-parameter parts in float64', () => {
    // Each part is exact in float32, but their float32 sum would lose the 1.
    const a = { big: tf.tensor1d([2 ** 26]), small: tf.tensor1d([1]) };
    const ones = { big: tf.tensor1d([1]), small: tf.tensor1d([1]) };
    expect(readInnerProducts({ s: [a, ones] }).s).toBe(2 ** 26 + 1);
    tf.dispose([...Object.values(a), ...Object.values(ones)]);
  });
});
