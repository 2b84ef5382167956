import { runStatusClass } from '../../../shared/runStatus';
import type { StudyTarget } from '../../../shared/studySpec';
import type { StudyRunData } from './studyData';

/** The three clocks a target is timed by: optimizer steps, network passes (charging second-order work), seconds. */
export type Measure = 'steps' | 'passes' | 'seconds';
export const measures: readonly Measure[] = ['steps', 'passes', 'seconds'];

export type TargetTime = Record<Measure, number>;

/** Stored steps the training loss is averaged over before it is compared with a target. */
export const defaultTrainLossWindow = 20;

/**
 * When a run first reaches a target, or null if it never does.
 *
 * - `trainLoss ≤ v`: the batch loss is noisy, so it is smoothed by a trailing mean over the last
 *   `window` stored steps (fewer at the start of the run). On a downsampled curve each point stands
 *   for `count` steps with their mean loss, so the window takes whole points, newest first, until it
 *   holds at least `window` steps, weighted by count. The first point whose window mean is ≤ v gives
 *   the time: steps = its step + 1 (the step index is 0-based and its loss is measured on the step's
 *   batch, so this counts that step), and its passes and seconds (both taken at the end of the step).
 *   On a downsampled curve the time is a bucket's mean: its resolution is the bucket.
 * - `valAccuracy ≥ v`: validation runs at epoch ends; the first epoch whose validation accuracy is
 *   ≥ v gives the steps, passes and seconds when it ended. A regression run never reaches it.
 */
export function timeToTarget(run: Pick<StudyRunData, 'lossCurve' | 'epochs'>, target: StudyTarget, window = defaultTrainLossWindow): TargetTime | null {
  if (target.metric === 'valAccuracy') {
    const epoch = run.epochs.find((e) => e.valAccuracy !== null && e.valAccuracy >= target.value);
    return epoch ? { steps: epoch.steps, passes: epoch.passes, seconds: epoch.seconds } : null;
  }
  const curve = run.lossCurve;
  for (let i = 0; i < curve.length; i++) {
    let sum = 0;
    let steps = 0;
    for (let j = i; j >= 0 && steps < window; j--) {
      sum += curve[j]!.value * curve[j]!.count;
      steps += curve[j]!.count;
    }
    if (sum / steps <= target.value) {
      const point = curve[i]!;
      return { steps: point.step + 1, passes: point.passes, seconds: point.seconds };
    }
  }
  return null;
}

/** Every run's time to every target, each computed once (by index in the targets' list). */
export interface TargetTimes {
  /** As the run's curves say, whatever its status. */
  reached(run: StudyRunData, target: number): TargetTime | null;
  /** As studies count it: a run that did not complete never reaches a target. */
  solved(run: StudyRunData, target: number): TargetTime | null;
}

export function targetTimes(runs: readonly StudyRunData[], targets: readonly StudyTarget[], window: number): TargetTimes {
  const times = new Map(runs.map((run) => [run.runId, targets.map((target) => timeToTarget(run, target, window))]));
  const reached = (run: StudyRunData, target: number): TargetTime | null => times.get(run.runId)![target]!;
  return { reached, solved: (run, target) => (runStatusClass(run.status) === 'completed' ? reached(run, target) : null) };
}
