import type { StudyTarget } from '../../../shared/studySpec';
import { median } from './sampleStatistics';
import { runOutcome } from './runResults';
import type { StudyCell } from './studyCells';
import { measures, solvedTime, type Measure } from './timeToTarget';

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

export function targetReport(cells: StudyCell[][], target: StudyTarget, window: number): TargetReport {
  return {
    target,
    rows: cells.map((row) => ({
      architecture: row[0]!.architecture,
      cells: row.map(({ architecture, optimizer, chosen }): TargetCell => {
        const times = chosen.runs.filter((r) => runOutcome(r.status) !== 'unfinished').map((r) => solvedTime(r, target, window));
        const medianOf = (measure: Measure) => {
          const m = times.length > 0 ? median(times.map((t) => t?.[measure] ?? Infinity)) : Infinity;
          return Number.isFinite(m) ? m : null;
        };
        return {
          architecture,
          optimizer,
          lr: chosen.lr,
          runs: times.length,
          reached: times.filter((t) => t !== null).length,
          median: Object.fromEntries(measures.map((m) => [m, medianOf(m)])) as Record<Measure, number | null>,
        };
      }),
    })),
  };
}
