/** Mean, sample standard deviation and count of some numbers. */
export interface Stat {
  mean: number;
  /** Sample standard deviation (n − 1); null for a single value. */
  sd: number | null;
  n: number;
}

/** Null for no values. */
export function describeSample(values: readonly number[]): Stat | null {
  const n = values.length;
  if (n === 0) return null;
  const m = mean(values);
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1)) : null;
  return { mean: m, sd, n };
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The median; Infinity counts as a value (an unsolved problem), so more than half unsolved gives Infinity. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** exp(mean(log x)) of positive numbers. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('geometric mean of no values');
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}
