import type { RunInfo } from '../api/labApi';
import type { CheckedRunSpec } from '../runSpec/normalizeRuns';

/** A run whose row exists, to be trained with this spec. */
export interface QueuedRun {
  runId: number;
  spec: CheckedRunSpec;
}

/** A value now, or once what trains runs has answered (a queue on Redis answers asynchronously). */
export type Eventually<T> = T | Promise<T>;

/**
 * What the lab needs of whoever trains its runs: the RunManager (worker threads in this process) or
 * the QueueRunner (remote `curvelab worker`s through a queue on Redis). Runs come checked. Each stops the
 * runs it trains when the store cannot write them (Store.onStorageFailure): they end `failed` with why.
 */
export interface RunExecutor {
  /** Creates the run row (queued) in experimentId and queues it; returns the row. */
  enqueue(experimentId: number, spec: CheckedRunSpec): Eventually<RunInfo>;
  /**
   * Queues runs whose rows exist and are queued: a study's, or runs made queued again to train from the
   * start. `study` (the study's experiment id) says they are that study's, to be queued together.
   */
  queueResumable(runs: QueuedRun[], study?: number): Eventually<RunInfo[]>;
  /** A run still waiting is cancelled at once; one training is asked to stop. Returns the row (undefined: none). */
  cancel(runId: number): Eventually<RunInfo | undefined>;
  /**
   * Before the run's rows are deleted: it leaves the queue, or what trains it is told to stop, and nothing
   * more of it is written. Call it for every run about to be deleted, then delete.
   */
  forget(runId: number): Eventually<void>;
  /** Queued or training, as far as this executor knows. */
  isActive(runId: number): boolean;
  /** Resolves when none of the runs it trains is queued or training. */
  idle(): Promise<void>;
  /** Stops taking runs and lets go of what it holds; what that means for runs in flight is the executor's. */
  shutdown(): Promise<void>;
}
