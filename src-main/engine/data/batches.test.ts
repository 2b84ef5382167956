import { describe, expect, it } from 'vitest';
import { UserInputError } from '../errors';
import { Rng } from '../rng';
import { batchOrder, gatherRows } from './batches';

const asArrays = (batches: Int32Array[]): number[][] => batches.map((b) => Array.from(b));

describe('batchOrder', () => {
  it('without shuffling keeps the order and keeps the last partial batch', () => {
    expect(asArrays(batchOrder(10, 3, false, new Rng(1)))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  });

  it('without shuffling draws nothing from the rng', () => {
    const used = new Rng(9);
    batchOrder(10, 3, false, used);
    expect(used.nextUint32()).toBe(new Rng(9).nextUint32());
  });

  it('shuffled, covers every index exactly once per epoch, reproducibly from the seed', () => {
    const batches = batchOrder(103, 10, true, new Rng(42));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    const all = batches.flatMap((b) => Array.from(b));
    expect([...all].sort((p, q) => p - q)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(all).not.toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(asArrays(batchOrder(103, 10, true, new Rng(42)))).toEqual(asArrays(batches));
    expect(asArrays(batchOrder(103, 10, true, new Rng(43)))).not.toEqual(asArrays(batches));
  });

  it("'full' and an oversized batch give one batch of everything", () => {
    expect(asArrays(batchOrder(5, 'full', false, new Rng(1)))).toEqual([[0, 1, 2, 3, 4]]);
    expect(asArrays(batchOrder(5, 64, false, new Rng(1)))).toEqual([[0, 1, 2, 3, 4]]);
    const shuffled = batchOrder(5, 'full', true, new Rng(1));
    expect(shuffled).toHaveLength(1);
    expect(Array.from(shuffled[0]).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(batchOrder(0, 8, true, new Rng(1))).toEqual([]);
  });

  it('rejects a batch size that is not a positive integer', () => {
    expect(() => batchOrder(10, 0, false, new Rng(1))).toThrow(UserInputError);
    expect(() => batchOrder(10, 2.5, false, new Rng(1))).toThrow('batch size must be a positive integer or "full", got 2.5');
  });
});

describe('gatherRows', () => {
  it('copies input rows and class labels in the order asked', () => {
    // Three examples of 2 values: row r holds (10r, 10r + 1).
    const split = { x: Float32Array.from([0, 1, 10, 11, 20, 21]), y: Int32Array.from([5, 6, 7]), n: 3 };
    const { x, y } = gatherRows(split, [2, 0, 2]);
    expect(Array.from(x)).toEqual([20, 21, 0, 1, 20, 21]);
    expect(y).toBeInstanceOf(Int32Array);
    expect(Array.from(y)).toEqual([7, 5, 7]);
    x[0] = -1;
    expect(split.x[4]).toBe(20); // a copy, not a view
  });

  it('copies regression target rows', () => {
    const split = { x: Float32Array.from([1, 2, 3]), y: Float32Array.from([0.5, 1.5, 2.5, 3.5, 4.5, 5.5]), n: 3 };
    const { x, y } = gatherRows(split, Int32Array.from([1]));
    expect(Array.from(x)).toEqual([2]);
    expect(y).toBeInstanceOf(Float32Array);
    expect(Array.from(y)).toEqual([2.5, 3.5]);
  });

  it('writes into the front of a large enough buffer, and into new arrays otherwise', () => {
    const split = { x: Float32Array.from([0, 1, 10, 11, 20, 21]), y: Int32Array.from([7, 8, 9]), n: 3 };
    const into = { x: new Float32Array(6).fill(-1), y: new Int32Array(3).fill(-1) };
    const rows = gatherRows(split, [2, 0], into);
    expect(rows.x.buffer).toBe(into.x.buffer);
    expect(Array.from(rows.x)).toEqual([20, 21, 0, 1]);
    expect(Array.from(rows.y)).toEqual([9, 7]);
    expect(Array.from(into.x)).toEqual([20, 21, 0, 1, -1, -1]);
    const larger = gatherRows(split, [0, 1, 2, 0], into);
    expect(larger.x.buffer).not.toBe(into.x.buffer);
    expect(Array.from(larger.y)).toEqual([7, 8, 9, 7]);
  });

  it('rejects an index outside the split', () => {
    expect(() => gatherRows({ x: new Float32Array(2), y: new Int32Array(2), n: 2 }, [2])).toThrow('row 2 outside 0..1');
  });
});
