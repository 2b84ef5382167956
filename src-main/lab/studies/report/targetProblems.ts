import { hasResult } from '../../../shared/runStatus';
import type { StudyTarget } from '../../../shared/studySpec';
import type { StudyCell } from './studyCells';
import type { TargetTime, TargetTimes } from './timeToTarget';

/**
 * One problem of a performance profile: an architecture, a seed and a target, with each optimizer's
 * time to it (in the study's optimizer order; null: its run diverged, failed or never reached it).
 */
export interface TargetProblem {
  architecture: string;
  seed: number;
  target: StudyTarget;
  times: (TargetTime | null)[];
}

/**
 * Every architecture × seed × target on which every optimizer has a finished run at its chosen lr
 * (paired runs: same initial weights and batches). A problem with an unfinished run is left out
 * rather than counted against the optimizer that has not run yet.
 */
export function targetProblems(cells: StudyCell[][], seeds: readonly number[], targets: readonly StudyTarget[], times: TargetTimes): TargetProblem[] {
  return cells.flatMap((row) =>
    seeds.flatMap((seed) => {
      const runs = row.map((cell) => cell.chosen.runs.find((r) => r.seed === seed && hasResult(r.status)));
      if (runs.some((r) => r === undefined)) return [];
      return targets.map((target, t) => ({ architecture: row[0]!.architecture, seed, target, times: runs.map((r) => times.solved(r!, t)) }));
    }),
  );
}
