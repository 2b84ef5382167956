import { describe, expect, test } from 'vitest';
import type { PlotPoint } from './panelModels';
import { quantile, robustYRange, visibleYExtent } from './yClipping';

const line = (ys: number[], x0 = 0): PlotPoint[] => ys.map((y, i) => ({ x: x0 + i, y }));

test('quantile interpolates between order statistics', () => {
  // Type 7: position (n − 1)·q = 4 · 0.3 = 1.2 → 2 + 0.2 · (3 − 2).
  expect(quantile([1, 2, 3, 4, 5], 0.3)).toBeCloseTo(2.2, 12);
  expect(quantile([1, 2, 3, 4, 5], 0)).toBe(1);
  expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
});

describe('robustYRange', () => {
  const ramp = Array.from({ length: 201 }, (_, i) => i / 100); // 0 … 2

  test('ordinary curves: no clipping', () => {
    expect(robustYRange([line(ramp), line(ramp.map((y) => y / 2))], null, false)).toBeNull();
  });

  test('a diverged run far out: the range follows the 1st–99th percentile of all points, plus 10 %', () => {
    const diverged = line([...ramp.slice(0, 199), 1e20, 1e35]);
    const range = robustYRange([line(ramp), diverged], null, false)!;
    // 401 points, the two huge ones on top; the percentiles fall on order statistics 4 and 396
    // ((401 − 1) · 0.01 and · 0.99) of the other 399.
    const sorted = [...ramp, ...ramp.slice(0, 199)].sort((a, b) => a - b);
    const lo = sorted[4];
    const hi = sorted[396];
    expect(lo).toBeCloseTo(0.02, 12);
    expect(range.min).toBeCloseTo(Math.max(0, lo - 0.1 * (hi - lo)), 12);
    expect(range.max).toBeCloseTo(hi + 0.1 * (hi - lo), 12);
    expect(range.max).toBeLessThan(3);
  });

  test('only the visible x range counts', () => {
    const spikeLate = line([...ramp.slice(0, 150), ...Array(51).fill(1e9)]);
    // Visible steps 0–100: no spike there.
    expect(robustYRange([spikeLate], { min: 0, max: 100 }, false)).toBeNull();
  });

  test('log axis: percentiles of log10(y)', () => {
    const decades = Array.from({ length: 300 }, (_, i) => 10 ** (-(i % 3))); // 1, 0.1, 0.01 …
    const range = robustYRange([line([...decades, 1e35])], null, true)!;
    // log10 values −2 … 0, span 2: the range is 10^−2.2 … 10^0.2.
    expect(range.min).toBeCloseTo(10 ** -2, 12); // not below the lowest point
    expect(range.max).toBeCloseTo(10 ** 0.2, 9);
  });
});

describe('visibleYExtent', () => {
  test('spans the visible points of every curve only', () => {
    // x 0..4; in view 1..3: ys 5, 1, 7 and 2, 9, 3.
    const curves = [line([100, 5, 1, 7, -50]), line([0, 2, 9, 3, 0])];
    expect(visibleYExtent(curves, { min: 1, max: 3 }, false)).toEqual({ min: 1, max: 9 });
    expect(visibleYExtent(curves, null, false)).toEqual({ min: -50, max: 100 });
  });

  test('leaves out y ≤ 0 on a log axis, and is null when nothing is in view', () => {
    expect(visibleYExtent([line([0, -1, 0.5, 4])], null, true)).toEqual({ min: 0.5, max: 4 });
    expect(visibleYExtent([line([1, 2])], { min: 5, max: 6 }, false)).toBeNull();
  });
});
