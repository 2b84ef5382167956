import { describe, expect, it } from 'vitest';
import { sampleValueGrid } from './valueGrid';

describe('sampleValueGrid', () => {
  it('samples nodes row by row from the top (y = yMax) down', () => {
    // f = x + 10y on x ∈ {0, 1, 2}, y ∈ {1, 0}
    const grid = sampleValueGrid(([x, y]) => x + 10 * y, { xMin: 0, xMax: 2, yMin: 0, yMax: 1 }, 3, 2);
    expect(Array.from(grid.values)).toEqual([10, 11, 12, 0, 1, 2]);
    expect(grid.min).toBe(0);
    expect(grid.max).toBe(12);
  });

  it('refuses a grid without two nodes each way', () => {
    expect(() => sampleValueGrid(() => 0, { xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 1, 5)).toThrow(RangeError);
  });
});
