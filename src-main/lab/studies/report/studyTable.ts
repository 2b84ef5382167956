import { hasResult, runStatusClass } from '../../../shared/runStatus';
import { describeSample, type Stat } from './sampleStatistics';
import { compareCandidates, type LrCandidate, type StudyCell } from './studyCells';
import { trainResult } from './runResults';
import type { RunStatus } from '../../api/labApi';
import type { ReferenceCell, StudyData } from './studyData';

/** One cell of the paper's table: train / validation result, mean ± sd over the seeds that completed. */
export interface TableCell {
  architecture: string;
  optimizer: string;
  /** The lr-grid value behind the numbers (best mean validation); null for an optimizer without a grid. */
  lr: number | null;
  /** Every grid value's validation result and failures, for an optimizer with a grid. */
  lrGrid: Pick<LrCandidate, 'lr' | 'validation' | 'failures'>[] | null;
  /** Error % (classification) or loss (regression), over the completed runs; null when none has it. */
  train: Stat | null;
  validation: Stat | null;
  /** Completed runs (seeds) behind the numbers. */
  seeds: number;
  diverged: number;
  failed: number;
  /** Queued, running, cancelled or interrupted. */
  unfinished: number;
  /** The row's best: lowest mean validation among the cells with the fewest failures (ties all marked). */
  best: boolean;
  /** The published numbers for this cell, if the study has some. */
  reference: ReferenceCell | null;
  /** The runs at the chosen lr. */
  runIds: number[];
}

export interface TableRow {
  architecture: string;
  random: boolean;
  cells: TableCell[];
}

export function studyTable(data: StudyData, cells: StudyCell[][]): TableRow[] {
  return data.architectures.map(({ label, random }, i) => {
    const row = cells[i]!;
    const ranked = row.map((c) => c.chosen).filter((c) => c.validation !== null);
    const best = ranked.length > 0 ? ranked.reduce((a, b) => (compareCandidates(b, a) < 0 ? b : a)) : null;
    return {
      architecture: label,
      random,
      cells: row.map((cell): TableCell => {
        const { chosen } = cell;
        const count = (status: RunStatus) => chosen.runs.filter((r) => r.status === status).length;
        const completed = chosen.runs.filter((r) => runStatusClass(r.status) === 'completed');
        return {
          architecture: cell.architecture,
          optimizer: cell.optimizer,
          lr: chosen.lr,
          lrGrid: chosen.lr === null ? null : cell.candidates.map(({ lr, validation, failures }) => ({ lr, validation, failures })),
          train: describeSample(completed.map((r) => trainResult(r, data.task)).filter((v) => v !== null)),
          validation: chosen.validation,
          seeds: completed.length,
          diverged: count('diverged'),
          failed: count('failed'),
          unfinished: chosen.runs.filter((r) => !hasResult(r.status)).length,
          best: best !== null && chosen.validation !== null && compareCandidates(chosen, best) === 0,
          reference: data.reference?.cells.find((c) => c.architecture === cell.architecture && c.optimizer === cell.optimizer) ?? null,
          runIds: chosen.runs.map((r) => r.runId),
        };
      }),
    };
  });
}
