import { finishedRunStatuses, type RunInfo, type RunStatus, type StudyDetail } from '$api/labApi';

export type StudyRun = StudyDetail['runs'][number];

/** Statuses in the order they are listed: what is going, what finished well, then the failures. */
export const statusOrder: readonly RunStatus[] = ['running', 'queued', 'completed', 'diverged', 'failed', 'interrupted', 'cancelled'];

/** Runs the report counts as failures (an interrupted run is queued again when the lab restarts). */
export const failureStatuses: readonly RunStatus[] = ['diverged', 'failed'];

/** `2 completed · 1 diverged`, in statusOrder; statuses with no run are left out. */
export function statusCountsText(counts: Partial<Record<RunStatus, number>>): string {
  return statusOrder.flatMap((s) => ((counts[s] ?? 0) > 0 ? [`${counts[s]} ${s}`] : [])).join(' · ');
}

export function countStatuses(runs: readonly RunInfo[]): Partial<Record<RunStatus, number>> {
  const counts: Partial<Record<RunStatus, number>> = {};
  for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
  return counts;
}

/** A cell's final numbers, means over its completed runs (in the grid's unit). */
export interface CellResult {
  /** The final model on its training examples, and the last validation. */
  train: number | null;
  val: number | null;
  /** Completed runs the means are over. */
  completed: number;
}

/** One architecture × optimizer of a study. */
export interface StudyGridCell {
  architecture: string;
  optimizer: string;
  runIds: number[];
  counts: Partial<Record<RunStatus, number>>;
  /** The lr-grid values its runs use (empty: no grid). */
  lrs: number[];
  /**
   * Null with an lr grid: the report picks one lr per cell by validation, and a mean over every lr would
   * say something else.
   */
  result: CellResult | null;
}

export interface StudyGrid {
  /** Error % when the runs measure accuracy (classification), else the losses; null before any run has a number. */
  unit: 'error %' | 'loss' | null;
  /** Rows and columns in the order the study's runs were expanded (by run id). */
  architectures: string[];
  optimizers: string[];
  /** [architecture][optimizer]; a combination without runs is null. */
  cells: (StudyGridCell | null)[][];
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

const errorPercent = (accuracy: number | null): number | null => (accuracy === null ? null : 100 * (1 - accuracy));

function cellResult(runs: readonly StudyRun[], unit: StudyGrid['unit']): CellResult {
  const completed = runs.filter((r) => r.status === 'completed');
  const pick = (value: (run: StudyRun) => number | null): number | null => mean(completed.flatMap((r) => value(r) ?? []));
  return unit === 'error %'
    ? { train: pick((r) => errorPercent(r.trainEvalAccuracy)), val: pick((r) => errorPercent(r.valAccuracy)), completed: completed.length }
    : { train: pick((r) => r.trainEvalLoss), val: pick((r) => r.valLoss), completed: completed.length };
}

/** The study's runs as its architecture × optimizer table, from each run's cell. */
export function studyGrid(runs: readonly StudyRun[]): StudyGrid {
  const ordered = [...runs].sort((a, b) => a.id - b.id);
  const architectures = [...new Set(ordered.map((r) => r.cell.architecture))];
  const optimizers = [...new Set(ordered.map((r) => r.cell.optimizer))];
  const measured = (keys: (keyof RunInfo)[]) => runs.some((r) => keys.some((k) => r[k] !== null));
  const unit = measured(['valAccuracy', 'trainEvalAccuracy']) ? 'error %' : measured(['valLoss', 'trainEvalLoss']) ? 'loss' : null;
  const cells = architectures.map((architecture) =>
    optimizers.map((optimizer): StudyGridCell | null => {
      const cellRuns = ordered.filter((r) => r.cell.architecture === architecture && r.cell.optimizer === optimizer);
      if (cellRuns.length === 0) return null;
      const lrs = [...new Set(cellRuns.flatMap((r) => r.cell.lr ?? []))].sort((a, b) => a - b);
      return {
        architecture,
        optimizer,
        runIds: cellRuns.map((r) => r.id),
        counts: countStatuses(cellRuns),
        lrs,
        result: lrs.length > 0 ? null : cellResult(cellRuns, unit),
      };
    }),
  );
  return { unit, architectures, optimizers, cells };
}

/** Runs finished out of all, for a study's progress bar. */
export function finishedCount(counts: Partial<Record<RunStatus, number>>): number {
  return finishedRunStatuses.reduce((n, s) => n + (counts[s] ?? 0), 0);
}
