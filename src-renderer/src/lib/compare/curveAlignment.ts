/** One run's curve: x values (non-decreasing after cleaning) and the y value at each. */
export interface XYLine {
  xs: readonly number[];
  ys: readonly number[];
}

/** A group's curves on one common grid of x values: mean, min, max and spread over the runs that cover each x. */
export interface AlignedCurves {
  x: number[];
  mean: number[];
  min: number[];
  max: number[];
  /** Sample standard deviation (n − 1 in the denominator); 0 where one run covers x. */
  sd: number[];
  /** How many runs contributed at each x. */
  count: number[];
}

/**
 * Puts the runs of a group onto a common x grid and reduces them to mean, min and max.
 *
 * Runs of a group rarely share x values: downsampled buckets average different steps once runs have
 * different lengths, and wall time or passes differ per run anyway. So:
 *
 * - the grid is the sorted union of every run's x values (no resampling: a run's own points stay exact);
 * - at each grid x, a run contributes its value there, linearly interpolated between its two
 *   neighbouring points when x is not one of its own (exact when it is; a repeated x takes its last value);
 * - a run contributes only inside its own x range [first x, last x]: it is never extrapolated, so a run
 *   that stopped early (diverged, still training) simply leaves the mean and band beyond its last point,
 *   and `count` says how many runs each grid point stands for.
 *
 * Non-finite points (NaN from a diverged step) are dropped before aligning.
 */
export function alignCurves(lines: readonly XYLine[]): AlignedCurves {
  const cleaned = lines.map(cleanLine).filter((l) => l.xs.length > 0);
  const grid = unionOfXs(cleaned);
  const n = grid.length;
  const sum = new Float64Array(n);
  const min = new Array<number>(n).fill(Infinity);
  const max = new Array<number>(n).fill(-Infinity);
  const count = new Array<number>(n).fill(0);
  // Welford's running mean and sum of squared deviations: no cancellation when the spread is tiny.
  const runningMean = new Float64Array(n);
  const squaredDeviations = new Float64Array(n);

  for (const line of cleaned) {
    const { xs, ys } = line;
    const first = xs[0];
    const last = xs[xs.length - 1];
    let j = 0;
    for (let g = 0; g < n; g++) {
      const x = grid[g];
      if (x < first) continue;
      if (x > last) break;
      // Advance to the last point at or before x.
      while (j + 1 < xs.length && xs[j + 1] <= x) j++;
      const y = xs[j] === x ? ys[j] : interpolate(xs[j], ys[j], xs[j + 1], ys[j + 1], x);
      sum[g] += y;
      count[g]++;
      const delta = y - runningMean[g];
      runningMean[g] += delta / count[g];
      squaredDeviations[g] += delta * (y - runningMean[g]);
      if (y < min[g]) min[g] = y;
      if (y > max[g]) max[g] = y;
    }
  }

  const sd = Array.from(squaredDeviations, (m2, g) => (count[g] > 1 ? Math.sqrt(m2 / (count[g] - 1)) : 0));
  return { x: grid, mean: Array.from(sum, (s, g) => s / count[g]), min, max, sd, count };
}

function interpolate(x0: number, y0: number, x1: number, y1: number, x: number): number {
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/** Finite points only, sorted by x (stable, so equal x keep their order). */
function cleanLine(line: XYLine): { xs: number[]; ys: number[] } {
  const pairs: [number, number][] = [];
  const len = Math.min(line.xs.length, line.ys.length);
  for (let i = 0; i < len; i++) {
    const x = line.xs[i];
    const y = line.ys[i];
    if (Number.isFinite(x) && Number.isFinite(y)) pairs.push([x, y]);
  }
  let sorted = true;
  for (let i = 1; i < pairs.length && sorted; i++) sorted = pairs[i - 1][0] <= pairs[i][0];
  if (!sorted) pairs.sort((a, b) => a[0] - b[0]);
  return { xs: pairs.map((p) => p[0]), ys: pairs.map((p) => p[1]) };
}

function unionOfXs(lines: readonly { xs: readonly number[] }[]): number[] {
  const all: number[] = [];
  for (const line of lines) for (const x of line.xs) all.push(x);
  all.sort((a, b) => a - b);
  const unique: number[] = [];
  for (const x of all) if (unique.length === 0 || unique[unique.length - 1] !== x) unique.push(x);
  return unique;
}
