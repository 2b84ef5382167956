import type { LevelSpacing } from '../functions/testFunction';

/** `count` levels low·r⁰ … low·r^(count−1) = high, evenly spaced in the logarithm. */
export function logLevels(low: number, high: number, count: number): number[] {
  if (!(low > 0 && high > low && count >= 2)) throw new RangeError(`log levels need 0 < low < high and count ≥ 2; got ${low}, ${high}, ${count}`);
  const ratio = Math.log(high / low) / (count - 1);
  return Array.from({ length: count }, (_, k) => low * Math.exp(ratio * k));
}

/** high·(k/count)² for k = 1…count: a quadratic's level sets are then ellipses at evenly spaced radii. */
export function quadraticLevels(high: number, count: number): number[] {
  if (!(high > 0 && count >= 1)) throw new RangeError(`quadratic levels need high > 0 and count ≥ 1; got ${high}, ${count}`);
  return Array.from({ length: count }, (_, k) => high * ((k + 1) / count) ** 2);
}

/** Log spacing covers this many decades below the highest value in view: enough to show the valley's floor. */
const logDecades = 5;

/**
 * Contour levels for a function whose smallest value is `minimumValue`, given the largest value in view.
 * Levels are placed on f − f* (which is ≥ 0) and shifted back, so they crowd towards the minimum.
 */
export function contourLevels(spacing: LevelSpacing, minimumValue: number, maxInView: number, count: number): number[] {
  const span = maxInView - minimumValue;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const gaps = spacing === 'log' ? logLevels(span * 10 ** -logDecades, span, count) : quadraticLevels(span, count);
  return gaps.map((gap) => minimumValue + gap);
}

/** How many levels lie below v: 0 inside the lowest contour, levels.length above the highest. */
export function bandIndex(levels: readonly number[], v: number): number {
  let lo = 0;
  let hi = levels.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (levels[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
