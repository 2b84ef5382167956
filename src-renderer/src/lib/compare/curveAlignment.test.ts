import { describe, expect, test } from 'vitest';
import { alignCurves } from './curveAlignment';

describe('alignCurves', () => {
  test('runs on shared x values: mean, min and max per x', () => {
    const out = alignCurves([
      { xs: [0, 1, 2], ys: [1, 2, 3] },
      { xs: [0, 1, 2], ys: [3, 4, 5] },
      { xs: [0, 1, 2], ys: [2, 0, 7] },
    ]);
    expect(out.x).toEqual([0, 1, 2]);
    expect(out.mean).toEqual([2, 2, 5]);
    expect(out.min).toEqual([1, 0, 3]);
    expect(out.max).toEqual([3, 4, 7]);
    expect(out.count).toEqual([3, 3, 3]);
  });

  test('sample standard deviation per x (n − 1), 0 where one run covers x', () => {
    // x=0: 1, 3, 2 → mean 2, squared deviations 1 + 1 + 0 = 2, sd = √(2/2) = 1. x=1: 2, 4, 0 → 4 + 4 + 0 = 8, sd = 2.
    const out = alignCurves([
      { xs: [0, 1], ys: [1, 2] },
      { xs: [0, 1], ys: [3, 4] },
      { xs: [0, 1, 2], ys: [2, 0, 5] },
    ]);
    expect(out.sd[0]).toBeCloseTo(1, 12);
    expect(out.sd[1]).toBeCloseTo(2, 12);
    expect(out.sd[2]).toBe(0);
  });

  test('runs on different x values: interpolated linearly, never extrapolated', () => {
    // A: (0,0)–(2,4); B: (1,10)–(2,20); C: (0,1), (1,1), (3,1). Grid: 0, 1, 2, 3.
    // x=0: A 0, C 1.   x=1: A 2 (interpolated), B 10, C 1.   x=2: A 4, B 20, C 1 (interpolated).   x=3: C 1.
    const out = alignCurves([
      { xs: [0, 2], ys: [0, 4] },
      { xs: [1, 2], ys: [10, 20] },
      { xs: [0, 1, 3], ys: [1, 1, 1] },
    ]);
    expect(out.x).toEqual([0, 1, 2, 3]);
    expect(out.count).toEqual([2, 3, 3, 1]);
    expect(out.mean[0]).toBeCloseTo(0.5, 12);
    expect(out.mean[1]).toBeCloseTo(13 / 3, 12);
    expect(out.mean[2]).toBeCloseTo(25 / 3, 12);
    expect(out.mean[3]).toBe(1);
    expect(out.min).toEqual([0, 1, 1, 1]);
    expect(out.max).toEqual([1, 10, 20, 1]);
  });

  test('interpolates at a fractional position (two runs, x = 0.5 only in one)', () => {
    // B at 0.5: 2 + (6 − 2)·0.5 = 4.
    const out = alignCurves([
      { xs: [0, 0.5, 1], ys: [1, 1, 1] },
      { xs: [0, 1], ys: [2, 6] },
    ]);
    expect(out.x).toEqual([0, 0.5, 1]);
    expect(out.mean).toEqual([1.5, 2.5, 3.5]);
    expect(out.max).toEqual([2, 4, 6]);
  });

  test('drops non-finite points and sorts unsorted input', () => {
    const out = alignCurves([
      { xs: [2, 0, 1], ys: [6, Number.NaN, 4] },
      { xs: [1, 2], ys: [0, 2] },
    ]);
    // First run after cleaning: (1,4), (2,6).
    expect(out.x).toEqual([1, 2]);
    expect(out.mean).toEqual([2, 4]);
  });

  test('no runs, or only empty ones, give an empty result', () => {
    expect(alignCurves([]).x).toEqual([]);
    expect(alignCurves([{ xs: [], ys: [] }]).mean).toEqual([]);
  });
});
