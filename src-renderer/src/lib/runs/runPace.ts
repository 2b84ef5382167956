/**
 * How fast runs train and when they should end: a running row's steps/s, ETA and latest training loss
 * (from its latest run-progress event), and an experiment's (a sweep's, a study's) runs done out of its
 * total with the time left for all of them.
 */
import type { RunInfo } from '$api/labApi';
import { isActive, type LiveProgress } from './runRows';

export interface RunPace {
  /** Mean steps per second since the run began training. */
  stepsPerSecond: number;
  /** Seconds until its last step at that pace. */
  etaSeconds: number;
  /** The latest step's training loss (null when not finite). */
  loss: number | null;
}

/** Null until a step has taken measurable time. */
export function runPace(live: LiveProgress | undefined): RunPace | null {
  if (live === undefined || !(live.seconds > 0)) return null;
  const done = live.step + 1;
  const stepsPerSecond = done / live.seconds;
  return { stepsPerSecond, etaSeconds: Math.max(0, live.totalSteps - done) / stepsPerSecond, loss: live.loss };
}

export interface ExperimentProgress {
  /** Runs that ended (whatever their outcome) out of all the experiment's runs. */
  done: number;
  total: number;
  /**
   * Seconds until every active run has ended: the steps left (a queued run's counted as the mean total of
   * the runs whose total is known) over the summed pace of the runs training now. Null when no run
   * trains at a known pace.
   */
  etaSeconds: number | null;
}

/** Null when none of the runs is queued or running: nothing left to wait for. */
export function experimentProgress(runs: readonly RunInfo[], live: Readonly<Record<number, LiveProgress>>): ExperimentProgress | null {
  const active = runs.filter((r) => isActive(r.status));
  if (active.length === 0) return null;
  const totals = runs.map((r) => live[r.id]?.totalSteps ?? r.totalSteps).filter((t): t is number => t !== null);
  const meanTotal = totals.length === 0 ? null : totals.reduce((a, b) => a + b, 0) / totals.length;
  let stepsLeft = 0;
  let stepsPerSecond = 0;
  for (const run of active) {
    const progress = live[run.id];
    const total = progress?.totalSteps ?? run.totalSteps ?? meanTotal;
    if (total === null) return { done: runs.length - active.length, total: runs.length, etaSeconds: null };
    stepsLeft += Math.max(0, total - Math.max(run.storedSteps, progress === undefined ? 0 : progress.step + 1));
    stepsPerSecond += runPace(progress)?.stepsPerSecond ?? 0;
  }
  return { done: runs.length - active.length, total: runs.length, etaSeconds: stepsPerSecond > 0 ? stepsLeft / stepsPerSecond : null };
}
