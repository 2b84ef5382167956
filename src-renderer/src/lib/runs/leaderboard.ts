import type { RunInfo } from '$api/labApi';
import { runSortValue, sortRuns, type RunSort } from './runRows';

/**
 * The leaderboard: every run that passes the filter, across all experiments, in one ranking. Best
 * validation error is 1 − best validation accuracy, so it ranks as accuracy does, best first.
 */
export type LeaderboardMetric = 'error' | 'accuracy' | 'loss';

export const leaderboardMetrics: readonly { metric: LeaderboardMetric; label: string; sort: RunSort }[] = [
  { metric: 'error', label: 'Best validation error (lowest first)', sort: { key: 'bestValAccuracy', descending: true } },
  { metric: 'accuracy', label: 'Best validation accuracy (highest first)', sort: { key: 'bestValAccuracy', descending: true } },
  { metric: 'loss', label: 'Best validation loss (lowest first)', sort: { key: 'bestValLoss', descending: false } },
];

export interface LeaderboardRow {
  run: RunInfo;
  /** 1 for the best; null for a run not measured on the sort's column yet (those come last). */
  rank: number | null;
}

/** The runs ranked by `sort` (a metric's, or any column the user clicks). */
export function leaderboardRows(runs: readonly RunInfo[], sort: RunSort, now: number): LeaderboardRow[] {
  let rank = 0;
  return sortRuns(runs, sort, now).map((run) => {
    const value = runSortValue(run, sort.key, now);
    const measured = value !== null && !(typeof value === 'number' && Number.isNaN(value));
    return { run, rank: measured ? ++rank : null };
  });
}
