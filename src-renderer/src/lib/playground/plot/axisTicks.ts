/**
 * "Nice" tick positions (multiples of 1, 2 or 5 × 10ᵏ) covering [min, max] with about `target` steps between ticks,
 * for the coordinate labels along the contour plot's edges.
 */
export function axisTicks(min: number, max: number, target: number): number[] {
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span) || target < 1) return [];
  const rough = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  // The nice step nearest the rough one on a log scale, so the count lands near the target either way.
  const step = [1, 2, 5, 10]
    .map((m) => m * magnitude)
    .reduce((best, candidate) => (Math.abs(Math.log(candidate / rough)) < Math.abs(Math.log(best / rough)) ? candidate : best));
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step); k * step <= max + step * 1e-9; k++) {
    // Rounding to the step's own precision keeps 0.30000000000000004 out of the labels.
    const digits = Math.max(0, -Math.floor(Math.log10(step)));
    ticks.push(Number((k * step).toFixed(digits)));
  }
  return ticks;
}
