import type { PlotPoint } from './panelModels';

/** The first index whose x passes `test` (monotone in x, the points sorted by x), or the length when none does: a binary search. */
export function firstIndex(points: readonly PlotPoint[], test: (x: number) => boolean): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (!test(points[mid].x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
