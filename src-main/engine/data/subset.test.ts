import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { seededSubset } from './subset';

// Twenty examples whose single input value is their row number; label = row mod 4.
const twenty = { x: Float32Array.from({ length: 20 }, (_, i) => i), y: Int32Array.from({ length: 20 }, (_, i) => i % 4), n: 20 };
const rowsOf = (size: number, seed: number): number[] => Array.from(seededSubset(twenty, size, new Rng(seed)).x);

describe('seededSubset', () => {
  it('takes that many distinct rows of the split, in the split order, labels travelling with them', () => {
    const subset = seededSubset(twenty, 7, new Rng(3));
    expect(subset.n).toBe(7);
    const rows = Array.from(subset.x);
    expect(new Set(rows).size).toBe(7);
    expect(rows.every((r) => Number.isInteger(r) && r >= 0 && r < 20)).toBe(true);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(Array.from(subset.y)).toEqual(rows.map((r) => r % 4));
  });

  it('is the same for the same seed, changes with the seed, and a smaller subset lies inside a larger one', () => {
    expect(rowsOf(5, 1)).toEqual(rowsOf(5, 1));
    expect(new Set([1, 2, 3, 4, 5].map((seed) => rowsOf(5, seed).join(','))).size).toBeGreaterThan(1);
    const large = new Set(rowsOf(12, 9));
    expect(rowsOf(4, 9).every((r) => large.has(r))).toBe(true);
  });

  it('is the split itself at its full size, and refuses a size outside 1 … n', () => {
    expect(seededSubset(twenty, 20, new Rng(0))).toBe(twenty);
    for (const size of [0, 21, 2.5]) expect(() => seededSubset(twenty, size, new Rng(0))).toThrow(RangeError);
  });
});
