/**
 * Part of a split: a seeded choice of rows, each kept in its place in the split's order, so a subset
 * depends only on the split, its size and the generator's seed. The first `size` entries of one seeded
 * permutation are taken, so a smaller subset of the same seed lies inside a larger one.
 */
import type { Rng } from '../rng';
import { gatherRows } from './batches';
import type { Split } from './dataset';

/** `size` rows of the split chosen with `rng`; the split itself when `size` is its size. */
export function seededSubset(split: Split, size: number, rng: Rng): Split {
  if (!(Number.isInteger(size) && size >= 1 && size <= split.n)) throw new RangeError(`seededSubset: ${size} rows of a split of ${split.n}`);
  if (size === split.n) return split;
  return takeRows(split, rng.permutation(split.n).slice(0, size).sort());
}

/** The split's rows `rows`, in that order, as a split of their own. */
export function takeRows(split: Split, rows: Int32Array): Split {
  return { ...gatherRows(split, rows), n: rows.length };
}
