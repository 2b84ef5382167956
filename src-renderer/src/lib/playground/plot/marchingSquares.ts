import type { ValueGrid } from './valueGrid';

/**
 * The level set {f = level} of a sampled grid as line segments, by marching squares: each cell's corners
 * are classified above/below the level and the crossing points on its edges are found by linear
 * interpolation. Returns a flat array x0, y0, x1, y1, … in grid coordinates (column i, row j, fractional).
 * Cells touching a non-finite value are skipped. The two ambiguous (saddle) cases are resolved by the
 * mean of the four corners, so neighbouring cells join up consistently.
 */
export function contourSegments(grid: ValueGrid, level: number): number[] {
  const { cols, rows, values } = grid;
  const out: number[] = [];
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < cols; i++) {
      // Corners: a = top left (i, j), b = top right, c = bottom right, d = bottom left.
      const a = values[j * cols + i];
      const b = values[j * cols + i + 1];
      const c = values[(j + 1) * cols + i + 1];
      const d = values[(j + 1) * cols + i];
      if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) continue;
      const code = (a > level ? 8 : 0) | (b > level ? 4 : 0) | (c > level ? 2 : 0) | (d > level ? 1 : 0);
      if (code === 0 || code === 15) continue;

      // Crossing points on the four edges (only the ones the case uses are meaningful).
      const t = (p: number, q: number) => (level - p) / (q - p);
      const top = () => [i + t(a, b), j];
      const right = () => [i + 1, j + t(b, c)];
      const bottom = () => [i + t(d, c), j + 1];
      const left = () => [i, j + t(a, d)];
      const segment = (p: number[], q: number[]) => out.push(p[0], p[1], q[0], q[1]);

      switch (code) {
        case 1:
        case 14:
          segment(left(), bottom());
          break;
        case 2:
        case 13:
          segment(bottom(), right());
          break;
        case 3:
        case 12:
          segment(left(), right());
          break;
        case 4:
        case 11:
          segment(top(), right());
          break;
        case 6:
        case 9:
          segment(top(), bottom());
          break;
        case 7:
        case 8:
          segment(left(), top());
          break;
        case 5:
        case 10: {
          // a and c on one side, b and d on the other: the centre decides which pair is connected.
          const centreAbove = (a + b + c + d) / 4 > level;
          const aAbove = code === 10;
          if (centreAbove === aAbove) {
            segment(left(), bottom());
            segment(top(), right());
          } else {
            segment(left(), top());
            segment(bottom(), right());
          }
          break;
        }
      }
    }
  }
  return out;
}
