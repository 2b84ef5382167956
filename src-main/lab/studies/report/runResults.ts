import type { RunStatus } from '../../api/labApi';
import type { StudyData, StudyRunData } from './studyData';

/** How a run counts in a report: its numbers are used, it failed (diverged or errored), or it has not finished. */
export type RunOutcome = 'completed' | 'failure' | 'unfinished';

/** Cancelled and interrupted runs are unfinished, not failures: the optimizer did not fail them. */
export function runOutcome(status: RunStatus): RunOutcome {
  if (status === 'completed') return 'completed';
  return status === 'diverged' || status === 'failed' ? 'failure' : 'unfinished';
}

/** What the table reports of a run's training set: error % (classification, from the final evaluation) or the loss. */
export function trainResult(run: StudyRunData, task: StudyData['task']): number | null {
  return task === 'classification' ? errorPercent(run.final.trainAccuracy) : run.final.trainLoss;
}

/** What the table reports of a run's last validation: error % (classification) or the loss; lower is better. */
export function validationResult(run: StudyRunData, task: StudyData['task']): number | null {
  return task === 'classification' ? errorPercent(run.final.valAccuracy) : run.final.valLoss;
}

export function errorPercent(accuracy: number | null): number | null {
  return accuracy === null ? null : 100 * (1 - accuracy);
}
