import type { XRange } from './chartZoom';
import type { PlotPoint } from './panelModels';
import { firstIndex } from './sortedPoints';

/** Enough values for the 1st and 99th percentiles to be stable; longer panels are sampled evenly. */
const sampleLimit = 4096;

/**
 * The y range for a panel's visible points that ignores outliers, or null when there are none worth
 * ignoring (the chart then fits every point, as usual).
 *
 * The range is the 1st–99th percentile of the visible points (x inside `xRange`) plus 10 % of that
 * span on each side; it is used only when some point lies more than one such span beyond it, so a
 * diverged run (loss 1e35) does not flatten the other curves, while an ordinary loss curve's first
 * steps are not cut off. On a log axis the percentiles are taken of log10(y).
 */
export function robustYRange(curves: readonly (readonly PlotPoint[])[], xRange: XRange | null, logY: boolean): XRange | null {
  const visible = curves.map((points) => visibleSlice(points, xRange));
  const total = visible.reduce((n, [from, to]) => n + (to - from), 0);
  if (total === 0) return null;
  const stride = Math.max(1, Math.ceil(total / sampleLimit));
  const sample: number[] = [];
  let lowest = Infinity;
  let highest = -Infinity;
  let seen = 0;
  visible.forEach(([from, to], c) => {
    const points = curves[c];
    for (let i = from; i < to; i++) {
      const y = logY ? Math.log10(points[i].y) : points[i].y;
      if (!Number.isFinite(y)) continue;
      if (y < lowest) lowest = y;
      if (y > highest) highest = y;
      if (seen++ % stride === 0) sample.push(y);
    }
  });
  if (sample.length === 0) return null;
  const sorted = Float64Array.from(sample).sort();
  const lo = quantile(sorted, 0.01);
  const hi = quantile(sorted, 0.99);
  const span = hi - lo;
  if (span <= 0 || (lowest >= lo - span && highest <= hi + span)) return null;
  const min = Math.max(lowest, lo - 0.1 * span);
  const max = Math.min(highest, hi + 0.1 * span);
  return logY ? { min: 10 ** min, max: 10 ** max } : { min, max };
}

/**
 * The lowest and highest y of the visible points (x inside `xRange`; on a log axis only y > 0), or
 * null when none is: the range an axis fitted to what is in view would span.
 */
export function visibleYExtent(curves: readonly (readonly PlotPoint[])[], xRange: XRange | null, logY: boolean): XRange | null {
  let min = Infinity;
  let max = -Infinity;
  for (const points of curves) {
    const [from, to] = visibleSlice(points, xRange);
    for (let i = from; i < to; i++) {
      const y = points[i].y;
      if (!Number.isFinite(y) || (logY && y <= 0)) continue;
      if (y < min) min = y;
      if (y > max) max = y;
    }
  }
  return min <= max ? { min, max } : null;
}

/** Linear interpolation between order statistics (type 7, as R and NumPy default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** [from, to) of the points with x inside the range (points sorted by x), by binary search. */
function visibleSlice(points: readonly PlotPoint[], xRange: XRange | null): [number, number] {
  if (!xRange) return [0, points.length];
  return [firstIndex(points, (x) => x >= xRange.min), firstIndex(points, (x) => x > xRange.max)];
}
