import type { StudyData, StudyRunData } from './studyData';

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
