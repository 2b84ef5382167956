import type { ViewWindow } from '../functions/testFunction';
import type { Vec2 } from '../math/vec2';

/**
 * f sampled on a cols × rows lattice of nodes spanning a view window, row-major with row 0 at the top
 * (y = yMax) so that it lines up with canvas pixels. Node (i, j) sits at
 * x = xMin + i·(xMax − xMin)/(cols − 1), y = yMax − j·(yMax − yMin)/(rows − 1).
 */
export interface ValueGrid {
  readonly cols: number;
  readonly rows: number;
  readonly values: Float64Array;
  readonly min: number;
  readonly max: number;
}

export function sampleValueGrid(value: (w: Vec2) => number, view: ViewWindow, cols: number, rows: number): ValueGrid {
  if (!(Number.isInteger(cols) && Number.isInteger(rows) && cols >= 2 && rows >= 2)) {
    throw new RangeError(`a value grid needs at least 2 × 2 whole nodes; got ${cols} × ${rows}`);
  }
  const values = new Float64Array(cols * rows);
  let min = Infinity;
  let max = -Infinity;
  const dx = (view.xMax - view.xMin) / (cols - 1);
  const dy = (view.yMax - view.yMin) / (rows - 1);
  for (let j = 0; j < rows; j++) {
    const y = view.yMax - j * dy;
    for (let i = 0; i < cols; i++) {
      const v = value([view.xMin + i * dx, y]);
      values[j * cols + i] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { cols, rows, values, min, max };
}
