import type { RunEnding } from '../store';

/** What the lab saw of a worker whose run never reported `done`. */
export interface WorkerEnding {
  /** The worker's exit code (1 after terminate()). */
  exitCode: number;
  /** What the worker posted as `{type: 'error'}` before exiting: its job threw. */
  reportedError: string | null;
  /** The worker's `error` event: an uncaught exception, or ERR_WORKER_OUT_OF_MEMORY under resourceLimits. */
  crash: (Error & { code?: string }) | null;
  /** The lab terminated it at shutdown after it did not stop on its own. */
  terminatedAtShutdown: boolean;
}

/**
 * How a run ends whose worker ended without a `done` event, and why, in words for the run's error
 * column. A job that threw fails with its own message; a worker that died fails with what killed it;
 * one the lab had to terminate at shutdown is `interrupted`, as a run is whose process ended under it.
 */
export function finishWithoutDone(ending: WorkerEnding): RunEnding {
  if (ending.reportedError !== null) return { status: 'failed', error: ending.reportedError };
  if (ending.crash?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { status: 'failed', error: `the training worker ran out of memory (${ending.crash.message})` };
  }
  if (ending.crash) return { status: 'failed', error: `the training worker crashed: ${ending.crash.message}` };
  if (ending.terminatedAtShutdown) {
    return { status: 'interrupted', error: 'the lab shut down and stopped the training worker before the run finished' };
  }
  return { status: 'failed', error: `the training worker exited with code ${ending.exitCode} before the run finished` };
}
