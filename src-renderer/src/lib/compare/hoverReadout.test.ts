import { describe, expect, test } from 'vitest';
import { hoverReadout, snapX, type ReadoutCurve } from './hoverReadout';

const curve = (label: string, xs: number[], ys: number[]): ReadoutCurve => ({ label, color: '#000000', points: xs.map((x, i) => ({ x, y: ys[i] })) });

const a = curve('a', [0, 10, 20, 30], [4, 3, 2, 1]);
const b = curve('b', [0, 5, 15, 25], [8, 6, 5, 4]);
const short = curve('short', [0, 1, 2], [9, 9, 9]);

describe('snapX', () => {
  test('picks the nearest logged x over all curves, never a fraction', () => {
    expect(snapX([a, b], 61.69 / 10, 3)).toBe(5);
    expect(snapX([a, b], 12.4, 3)).toBe(10);
    expect(snapX([a, b], 13.6, 3)).toBe(15);
  });
  test('null past every curve’s end by more than the tolerance', () => {
    expect(snapX([short], 10, 3)).toBeNull();
    expect(snapX([short], 4, 3)).toBe(2);
  });
});

describe('hoverReadout', () => {
  test('lists each curve’s value near x, highest first, the one nearest the cursor marked', () => {
    // At x = 10 with tolerance 5: a has a point at 10 (3); b's nearest are 5 and 15, a tie that goes to
    // the earlier (6); "short" ends at 2, too far.
    const { rows, total } = hoverReadout([a, b, short], 10, 5, (y) => Math.abs(y - 2.9), 10);
    expect(total).toBe(2);
    expect(rows.map((r) => [r.label, r.x, r.y, r.under])).toEqual([
      ['b', 5, 6, false],
      ['a', 10, 3, true],
    ]);
  });

  test('keeps only the curves nearest the cursor when there are more than the limit', () => {
    const { rows, total } = hoverReadout([a, b], 10, 5, (y) => Math.abs(y - 6.2), 1);
    expect(total).toBe(2);
    expect(rows.map((r) => [r.label, r.under])).toEqual([['b', true]]);
  });

  test('a point farther than the tolerance is not read', () => {
    expect(hoverReadout([a, b], 10, 3, (y) => y, 10).rows.map((r) => r.label)).toEqual(['a']);
  });
});
