/**
 * One epoch's mini-batches as lists of row indices, and copying those rows out of a split. Kept on
 * plain typed arrays: the trainer turns a gathered batch into tensors.
 */
import { UserInputError } from '../errors';
import type { Rng } from '../rng';
import type { Split } from './dataset';

export type BatchSize = number | 'full';

/**
 * The batches of one epoch over rows 0..n−1: in a random order drawn from `rng` when `shuffle`, else
 * in order (the rng is then not used). The last batch keeps the remainder, so every row is seen
 * exactly once. 'full' gives one batch of all rows.
 */
export function batchOrder(n: number, batchSize: BatchSize, shuffle: boolean, rng: Rng): Int32Array[] {
  const size = batchSize === 'full' ? Math.max(n, 1) : batchSize;
  if (!Number.isInteger(size) || size < 1) {
    throw new UserInputError(`batch size must be a positive integer or "full", got ${String(batchSize)}`);
  }
  const order = shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += size) batches.push(order.slice(start, Math.min(start + size, n)));
  return batches;
}

export interface Rows {
  x: Float32Array;
  y: Int32Array | Float32Array;
}

/**
 * Copies the rows `indices` of a split (inputs and targets), in that order, into new arrays, or into the
 * front of `into` when it is large enough (a training loop reuses one batch's memory for the next).
 */
export function gatherRows(split: Split, indices: ArrayLike<number>, into?: Rows): Rows {
  const xRow = split.n > 0 ? split.x.length / split.n : 0;
  const yRow = split.n > 0 ? split.y.length / split.n : 0;
  const xLength = indices.length * xRow;
  const yLength = indices.length * yRow;
  const reuse = into && into.x.length >= xLength && into.y.length >= yLength && into.y instanceof split.y.constructor;
  const x = reuse ? into.x.subarray(0, xLength) : new Float32Array(xLength);
  const y = reuse ? into.y.subarray(0, yLength) : split.y instanceof Int32Array ? new Int32Array(yLength) : new Float32Array(yLength);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    if (!(row >= 0 && row < split.n)) throw new RangeError(`gatherRows: row ${row} outside 0..${split.n - 1}`);
    x.set(split.x.subarray(row * xRow, (row + 1) * xRow), i * xRow);
    y.set(split.y.subarray(row * yRow, (row + 1) * yRow), i * yRow);
  }
  return { x, y };
}
