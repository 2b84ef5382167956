import { describe, expect, it } from 'vitest';
import type { ValueGrid } from './valueGrid';
import { sampleValueGrid } from './valueGrid';
import { contourSegments } from './marchingSquares';

function endpoints(segments: number[]): [number, number][] {
  const points: [number, number][] = [];
  for (let k = 0; k < segments.length; k += 2) points.push([segments[k], segments[k + 1]]);
  return points;
}

describe('contourSegments', () => {
  it('finds a plane’s level line exactly: f = x on a 5 × 3 grid, level 1.5 lies at column 1.5', () => {
    const grid = sampleValueGrid(([x]) => x, { xMin: 0, xMax: 4, yMin: 0, yMax: 2 }, 5, 3);
    const segments = contourSegments(grid, 1.5);
    expect(segments).toHaveLength(2 * 4); // two cells tall, one segment each
    for (const [i] of endpoints(segments)) expect(i).toBe(1.5);
  });

  it('traces a circle: f = x² + y², level 0.25 gives points at radius ½ and a length of about π', () => {
    const n = 81;
    const grid = sampleValueGrid(([x, y]) => x * x + y * y, { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }, n, n);
    const h = 2 / (n - 1);
    const segments = contourSegments(grid, 0.25);
    let length = 0;
    for (let k = 0; k < segments.length; k += 4) length += Math.hypot(segments[k + 2] - segments[k], segments[k + 3] - segments[k + 1]) * h;
    for (const [i, j] of endpoints(segments)) {
      const r = Math.hypot(-1 + i * h, 1 - j * h);
      expect(Math.abs(r - 0.5)).toBeLessThan(h * h);
    }
    expect(length).toBeGreaterThan(Math.PI * 0.99);
    expect(length).toBeLessThan(Math.PI * 1.001);
  });

  it('joins a saddle cell by its centre value', () => {
    // Corners a = 1 (top left), b = 0, c = 1, d = 0: code 10. Level 0.5; the centre (mean 0.5) is not above it,
    // so the low corners b and d connect through the middle and the high corners a and c are cut off.
    const grid: ValueGrid = { cols: 2, rows: 2, values: Float64Array.from([1, 0, 0, 1]), min: 0, max: 1 };
    expect(contourSegments(grid, 0.5)).toEqual([0, 0.5, 0.5, 0, 0.5, 1, 1, 0.5]);
    // Level 0.4 puts the centre (0.5) above it, so a and c connect and the low corners are cut off:
    // d by left (0, 0.6)–bottom (0.4, 1), b by top (0.6, 0)–right (1, 0.4).
    expect(contourSegments(grid, 0.4)).toEqual([0, 0.6, 0.4, 1, 0.6, 0, 1, 0.4]);
  });

  it('skips cells with non-finite corners', () => {
    const grid: ValueGrid = { cols: 2, rows: 2, values: Float64Array.from([1, Number.NaN, 0, 0]), min: 0, max: 1 };
    expect(contourSegments(grid, 0.5)).toEqual([]);
  });
});
