import { nearestIndexByX } from './nearestIndex';
import type { PlotPoint } from './panelModels';

/** A curve as the hover readout sees it. */
export interface ReadoutCurve {
  label: string;
  color: string;
  /** Sorted by x. */
  points: readonly PlotPoint[];
}

export interface ReadoutRow {
  label: string;
  color: string;
  x: number;
  y: number;
  /** The curve nearest the cursor: highlighted. */
  under: boolean;
}

/**
 * The real x nearest to `x` among the curves' points (a logged step, never a fraction between two),
 * or null when no curve has a point within `tolerance` of it.
 */
export function snapX(curves: readonly ReadoutCurve[], x: number, tolerance: number): number | null {
  let best: number | null = null;
  for (const { points } of curves) {
    const i = nearestIndexByX(points.length, (k) => points[k].x, x, tolerance);
    if (i < 0) continue;
    const candidate = points[i].x;
    if (Math.abs(candidate - x) <= tolerance && (best === null || Math.abs(candidate - x) < Math.abs(best - x))) best = candidate;
  }
  return best;
}

/**
 * The hover readout at `x`: each curve's point nearest to x (within `tolerance`), the `limit` nearest
 * to the cursor (by `distance(y)`, e.g. pixels from the pointer) kept, listed by value, highest first;
 * the nearest is marked `under`. `total` counts every curve that has a point there.
 */
export function hoverReadout(
  curves: readonly ReadoutCurve[],
  x: number,
  tolerance: number,
  distance: (y: number) => number,
  limit: number,
): { rows: ReadoutRow[]; total: number } {
  const found: (ReadoutRow & { d: number })[] = [];
  for (const curve of curves) {
    const { points } = curve;
    const i = nearestIndexByX(points.length, (k) => points[k].x, x, tolerance);
    if (i < 0 || Math.abs(points[i].x - x) > tolerance) continue;
    const { x: px, y } = points[i];
    found.push({ label: curve.label, color: curve.color, x: px, y, under: false, d: distance(y) });
  }
  found.sort((a, b) => a.d - b.d);
  const kept = found.slice(0, limit);
  if (kept.length > 0) kept[0].under = true;
  kept.sort((a, b) => b.y - a.y);
  return { rows: kept.map(({ d: _d, ...row }) => row), total: found.length };
}
