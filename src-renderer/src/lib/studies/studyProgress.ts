import type { RunStatus, StudyInfo } from '$api/labApi';
import { runStatusClass, type RunStatusClass } from '$shared/runStatus';
import { statusOrder } from '../runs/runRows';

/** Runs by status, as a study (or a cell of one) counts them. */
export type StatusCounts = Partial<Record<RunStatus, number>>;

/** `2 completed · 1 diverged`, in the Runs table's status order; statuses with no run are left out. */
export function statusCountsText(counts: StatusCounts): string {
  return statusOrder.flatMap((s) => ((counts[s] ?? 0) > 0 ? [`${counts[s]} ${s}`] : [])).join(' · ');
}

/** The runs whose outcome is one of `outcomes`, classed as the lab, its report and the CLI class them. */
export function outcomeCount(counts: StatusCounts, ...outcomes: RunStatusClass[]): number {
  return (Object.entries(counts) as [RunStatus, number][]).reduce((n, [status, count]) => (outcomes.includes(runStatusClass(status)) ? n + count : n), 0);
}

/** Runs with nothing left to train, for a study's progress bar: an interrupted run is still to train. */
export function finishedCount(counts: StatusCounts): number {
  return outcomeCount(counts, 'completed', 'failure', 'cancelled');
}

/**
 * Where a study stands: going while a run of it is queued or training, paused when only interrupted runs
 * are left to train (a lab that closed or died left them; Resume trains them again), else finished.
 */
export function studyPhase(study: Pick<StudyInfo, 'finished' | 'statusCounts'>): 'finished' | 'going' | 'paused' {
  if (study.finished) return 'finished';
  return (study.statusCounts.queued ?? 0) + (study.statusCounts.running ?? 0) > 0 ? 'going' : 'paused';
}
