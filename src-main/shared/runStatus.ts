/** Where a run stands. `interrupted`: a lab closed or died while it was queued or training. */
export type RunStatus = 'queued' | 'running' | 'completed' | 'diverged' | 'cancelled' | 'failed' | 'interrupted';

/**
 * How a run's status counts, in a study and its report alike: its numbers are used (`completed`), the
 * optimizer failed it (`failure`: diverged, or the run failed), it is still to train (`pending`: queued,
 * running, or interrupted, which a study trains again from its start), or a user stopped it
 * (`cancelled`: no result, and never trained again).
 */
export type RunStatusClass = 'completed' | 'failure' | 'pending' | 'cancelled';

export function runStatusClass(status: RunStatus): RunStatusClass {
  switch (status) {
    case 'completed':
    case 'cancelled':
      return status;
    case 'diverged':
    case 'failed':
      return 'failure';
    case 'queued':
    case 'running':
    case 'interrupted':
      return 'pending';
  }
}

/** A run with a result a study counts: completed, or failed by its optimizer. */
export function hasResult(status: RunStatus): boolean {
  const outcome = runStatusClass(status);
  return outcome === 'completed' || outcome === 'failure';
}
