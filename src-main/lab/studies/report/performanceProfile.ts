import type { TargetProblem } from './targetProblems';
import type { Measure } from './timeToTarget';

/** τ from 1 to 4 in steps of 0.05, as AlgoPerf plots its profiles. */
export const defaultProfileTaus: readonly number[] = Array.from({ length: 61 }, (_, i) => Math.round(100 + 5 * i) / 100);

/**
 * A performance profile (Dolan & Moré, as AlgoPerf scores training algorithms): for each optimizer and
 * τ, the fraction of problems it solves within τ × the fastest optimizer's time on that problem. A
 * problem no optimizer solves stays in the denominator (no one gets credit for it).
 */
export interface PerformanceProfile {
  measure: Measure;
  taus: number[];
  problems: number;
  curves: { optimizer: string; fractions: number[] }[];
}

export function performanceProfile(problems: readonly TargetProblem[], optimizers: readonly string[], measure: Measure, taus: readonly number[]): PerformanceProfile {
  // Ratios rather than τ · best: t / best and τ are both correctly rounded, so a time of exactly τ × the best counts.
  const ratios = problems.map((p) => {
    const times = p.times.map((t) => t?.[measure] ?? Infinity);
    const best = Math.min(...times);
    return times.map((t) => (Number.isFinite(t) ? t / best : Infinity));
  });
  return {
    measure,
    taus: [...taus],
    problems: problems.length,
    curves: optimizers.map((optimizer, o) => ({
      optimizer,
      fractions: taus.map((tau) => (problems.length === 0 ? 0 : ratios.filter((r) => r[o]! <= tau).length / problems.length)),
    })),
  };
}
