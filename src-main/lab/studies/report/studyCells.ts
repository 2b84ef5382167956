import { runStatusClass } from '../../../shared/runStatus';
import { describeSample, type Stat } from './sampleStatistics';
import { validationResult } from './runResults';
import type { StudyData, StudyRunData } from './studyData';

/** The runs of one cell at one lr-grid value (null: the optimizer has no grid), ranked by validation. */
export interface LrCandidate {
  lr: number | null;
  runs: StudyRunData[];
  /** The validation result (error % or loss) over its completed runs. */
  validation: Stat | null;
  /** Its runs that diverged or failed. */
  failures: number;
}

/**
 * One architecture × optimizer: every lr-grid value's runs and the one the report uses, chosen as
 * DeepOBS does for baselines: the best mean validation result, a value with fewer failed runs first
 * (a failure ranks below any finished run), the smaller lr on a tie.
 */
export interface StudyCell {
  architecture: string;
  optimizer: string;
  chosen: LrCandidate;
  /** By lr, ascending (one entry without a grid). */
  candidates: LrCandidate[];
}

/** Fewer failures first, then the lower mean validation result; without one, last. */
export function compareCandidates(a: Pick<LrCandidate, 'failures' | 'validation'>, b: Pick<LrCandidate, 'failures' | 'validation'>): number {
  if (a.failures !== b.failures) return a.failures - b.failures;
  return (a.validation?.mean ?? Infinity) - (b.validation?.mean ?? Infinity) || 0;
}

/** The study's cells, [architecture][optimizer] in the data's row and column order. */
export function studyCells(data: StudyData): StudyCell[][] {
  const architectures = new Set(data.architectures.map((a) => a.label));
  const optimizers = new Set(data.optimizers);
  for (const run of data.runs) {
    if (!architectures.has(run.architecture)) throw new Error(`run ${run.runId}: architecture ${JSON.stringify(run.architecture)} is not one of the study's`);
    if (!optimizers.has(run.optimizer)) throw new Error(`run ${run.runId}: optimizer ${JSON.stringify(run.optimizer)} is not one of the study's`);
  }
  return data.architectures.map(({ label: architecture }) =>
    data.optimizers.map((optimizer) => {
      const runs = data.runs.filter((r) => r.architecture === architecture && r.optimizer === optimizer);
      const lrs = [...new Set(runs.map((r) => r.lr))].sort((a, b) => (a ?? 0) - (b ?? 0));
      const candidates = (lrs.length > 0 ? lrs : [null]).map((lr) => candidate(data, lr, runs.filter((r) => r.lr === lr)));
      const chosen = [...candidates].sort(compareCandidates)[0]!;
      return { architecture, optimizer, chosen, candidates };
    }),
  );
}

function candidate(data: StudyData, lr: number | null, runs: StudyRunData[]): LrCandidate {
  const completed = runs.filter((r) => runStatusClass(r.status) === 'completed');
  const validation = describeSample(completed.map((r) => validationResult(r, data.task)).filter((v) => v !== null));
  return { lr, runs, validation, failures: runs.filter((r) => runStatusClass(r.status) === 'failure').length };
}
