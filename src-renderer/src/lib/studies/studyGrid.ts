import type { RunInfo, StudyDetail } from '$api/labApi';
import type { StatusCounts } from './studyProgress';

export type StudyRun = StudyDetail['runs'][number];

/**
 * One architecture × optimizer of a study: its runs (to open in Compare) and their statuses. Its numbers
 * are the report's, which picks an lr per cell and marks the best.
 */
export interface StudyGridCell {
  architecture: string;
  optimizer: string;
  runIds: number[];
  counts: StatusCounts;
}

export interface StudyGrid {
  /** Rows and columns in the order the study's runs were expanded (by run id). */
  architectures: string[];
  optimizers: string[];
  /** [architecture][optimizer]; a combination without runs is null. */
  cells: (StudyGridCell | null)[][];
}

function countStatuses(runs: readonly RunInfo[]): StatusCounts {
  const counts: StatusCounts = {};
  for (const run of runs) counts[run.status] = (counts[run.status] ?? 0) + 1;
  return counts;
}

/** The study's runs as its architecture × optimizer table, from each run's cell. */
export function studyGrid(runs: readonly StudyRun[]): StudyGrid {
  const ordered = [...runs].sort((a, b) => a.id - b.id);
  const architectures = [...new Set(ordered.map((r) => r.cell.architecture))];
  const optimizers = [...new Set(ordered.map((r) => r.cell.optimizer))];
  const cells = architectures.map((architecture) =>
    optimizers.map((optimizer): StudyGridCell | null => {
      const cellRuns = ordered.filter((r) => r.cell.architecture === architecture && r.cell.optimizer === optimizer);
      if (cellRuns.length === 0) return null;
      return { architecture, optimizer, runIds: cellRuns.map((r) => r.id), counts: countStatuses(cellRuns) };
    }),
  );
  return { architectures, optimizers, cells };
}
