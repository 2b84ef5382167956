import { geometricMean } from './sampleStatistics';
import type { TargetProblem } from './targetProblems';
import type { Measure } from './timeToTarget';

/** How much faster `optimizer` reaches targets than `against`: the geometric mean of t(against) / t(optimizer). */
export interface SpeedUp {
  optimizer: string;
  against: string;
  /** Over the problems both solved; null when there are none. Above 1: `optimizer` is faster. */
  speedUp: number | null;
  problems: number;
}

/** Every ordered pair of distinct optimizers, [optimizer][against] (null on the diagonal). */
export function speedUps(problems: readonly TargetProblem[], optimizers: readonly string[], measure: Measure): (SpeedUp | null)[][] {
  return optimizers.map((optimizer, a) =>
    optimizers.map((against, b) => {
      if (a === b) return null;
      const ratios = problems.flatMap((p) => {
        const ta = p.times[a]?.[measure];
        const tb = p.times[b]?.[measure];
        return ta !== undefined && tb !== undefined && ta > 0 && tb > 0 ? [tb / ta] : [];
      });
      return { optimizer, against, speedUp: ratios.length > 0 ? geometricMean(ratios) : null, problems: ratios.length };
    }),
  );
}
