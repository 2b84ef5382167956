/**
 * The index of the point whose x is nearest to `x`, among `count` points with non-decreasing x
 * (`xAt(i)`), by binary search; −1 when there are none or when `x` lies more than `tolerance` outside
 * the points' range. The tolerance keeps a curve that ended early (a diverged or still-running run)
 * out of the hover readout far to the right of its last point, where its last value would mislead.
 */
export function nearestIndexByX(count: number, xAt: (i: number) => number, x: number, tolerance: number): number {
  if (count === 0) return -1;
  if (x < xAt(0) - tolerance || x > xAt(count - 1) + tolerance) return -1;
  let lo = 0;
  let hi = count - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xAt(mid) <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs(xAt(hi) - x) < Math.abs(xAt(lo) - x) ? hi : lo;
}
