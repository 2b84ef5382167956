import { hasResult } from '../../../shared/runStatus';
import type { StudyTarget } from '../../../shared/studySpec';
import { median } from './sampleStatistics';
import type { StudyCell } from './studyCells';
import { measures, type Measure, type TargetTimes } from './timeToTarget';

/** One cell's time to one target: the median over its finished runs (seeds) at the chosen lr. */
export interface TargetCell {
  architecture: string;
  optimizer: string;
  lr: number | null;
  /** Finished runs (completed, diverged or failed). */
  runs: number;
  /** Of those, the ones that completed and reached the target. */
  reached: number;
  /** A run that did not reach the target counts as infinitely slow: null when the median is not reached. */
  median: Record<Measure, number | null>;
}

export interface TargetReport {
  target: StudyTarget;
  rows: { architecture: string; cells: TargetCell[] }[];
}

/** Target `index` of the study's targets (`times` holds every run's time to each). */
export function targetReport(cells: StudyCell[][], target: StudyTarget, index: number, times: TargetTimes): TargetReport {
  return {
    target,
    rows: cells.map((row) => ({
      architecture: row[0]!.architecture,
      cells: row.map(({ architecture, optimizer, chosen }): TargetCell => {
        const solved = chosen.runs.filter((r) => hasResult(r.status)).map((r) => times.solved(r, index));
        const medianOf = (measure: Measure) => {
          const m = solved.length > 0 ? median(solved.map((t) => t?.[measure] ?? Infinity)) : Infinity;
          return Number.isFinite(m) ? m : null;
        };
        return {
          architecture,
          optimizer,
          lr: chosen.lr,
          runs: solved.length,
          reached: solved.filter((t) => t !== null).length,
          median: Object.fromEntries(measures.map((m) => [m, medianOf(m)])) as Record<Measure, number | null>,
        };
      }),
    })),
  };
}
