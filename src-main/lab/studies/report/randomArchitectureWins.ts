import { hasResult, runStatusClass, type RunStatus } from '../../../shared/runStatus';
import { validationResult } from './runResults';
import type { StudyCell } from './studyCells';
import type { StudyData, StudyRunData } from './studyData';

/** How often each optimizer trained a random architecture best, by one metric. */
export interface WinCount {
  /** `trainLoss`: the final training loss (the final model evaluated on its training examples); `validation`: error % or loss. */
  metric: 'trainLoss' | 'validation';
  /** Problems with a winner or a tie. */
  decided: number;
  /** Problems where no completed run has the metric (every run failed, or the number is missing). */
  noWinner: number;
  rows: { optimizer: string; wins: number; ties: number }[];
}

export interface RandomArchitectureSummary {
  architectures: number;
  /** Architecture × seed pairs on which every optimizer has a finished run: the problems counted. */
  problems: number;
  /** Pairs left out because some optimizer's run has not finished. */
  unfinished: number;
  byTrainLoss: WinCount;
  byValidation: WinCount;
  /** Per optimizer, its finished runs at the chosen lr on random architectures and those that diverged or failed. */
  failures: { optimizer: string; runs: number; diverged: number; failed: number }[];
}

/**
 * Wins on the random architectures, per architecture × seed (runs paired by seed, at each optimizer's
 * chosen lr). The lowest value wins; several optimizers with exactly the same lowest value tie (each
 * gets a tie, no one a win). A run that diverged or failed never wins.
 */
export function randomArchitectureSummary(data: StudyData, cells: StudyCell[][]): RandomArchitectureSummary | null {
  const rows = cells.filter((_, i) => data.architectures[i]!.random);
  if (rows.length === 0) return null;
  const finished: StudyRunData[][] = [];
  let unfinished = 0;
  for (const row of rows) {
    for (const seed of data.spec.seeds) {
      const runs = row.map((cell) => cell.chosen.runs.find((r) => r.seed === seed && hasResult(r.status)));
      if (runs.every((r) => r !== undefined)) finished.push(runs);
      else unfinished++;
    }
  }
  const count = (metric: WinCount['metric'], value: (run: StudyRunData) => number | null): WinCount => {
    const result: WinCount = { metric, decided: 0, noWinner: 0, rows: data.optimizers.map((optimizer) => ({ optimizer, wins: 0, ties: 0 })) };
    for (const runs of finished) {
      const values = runs.map((r) => (runStatusClass(r.status) === 'completed' ? finiteOrNull(value(r)) : null));
      const present = values.filter((v) => v !== null);
      if (present.length === 0) {
        result.noWinner++;
        continue;
      }
      result.decided++;
      const best = Math.min(...present);
      const winners = values.flatMap((v, o) => (v === best ? [o] : []));
      for (const o of winners) result.rows[o]![winners.length === 1 ? 'wins' : 'ties']++;
    }
    return result;
  };
  return {
    architectures: rows.length,
    problems: finished.length,
    unfinished,
    byTrainLoss: count('trainLoss', (r) => r.final.trainLoss),
    byValidation: count('validation', (r) => validationResult(r, data.task)),
    failures: data.optimizers.map((optimizer, o) => {
      const runs = rows.flatMap((row) => row[o]!.chosen.runs.filter((r) => hasResult(r.status)));
      const withStatus = (status: RunStatus) => runs.filter((r) => r.status === status).length;
      return { optimizer, runs: runs.length, diverged: withStatus('diverged'), failed: withStatus('failed') };
    }),
  };
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
