import type { LabEvent } from '../api/labApi';
import { RunRecorder } from '../runner/runRecorder';
import type { RunEnding, Store } from '../store';
import type { EventBatch } from './queueProtocol';

/**
 * Writes the event batches of a lab's queue runs, as its stream delivers them (at least once, in order
 * per run), through each run's RunRecorder: the lab is the one writer of SQLite. A batch counts only
 * when its run is there, unfinished, and still has the batch's job (a deleted run's, or the job of an
 * earlier queueing, write nothing). A `start` from an attempt that is not the run's current one begins
 * that attempt (the job moved to another worker: the run's rows are cleared and it trains again from
 * its start); other events of an attempt that is not the current one are dropped. Rows are buffered
 * until `flush`: the reader flushes before it acknowledges, so a batch delivered again after a crash
 * finds its rows written and rewrites them in place (the journal's INSERT OR REPLACE).
 */
export class QueueRunWriter {
  private readonly recorders = new Map<number, RunRecorder>();

  constructor(
    private readonly store: Store,
    private readonly emit: (event: LabEvent) => void,
  ) {}

  write(batch: EventBatch): void {
    const { runId } = batch;
    const job = this.store.queue.jobOf(runId);
    if (!job || job.jobId !== batch.jobId || (job.status !== 'queued' && job.status !== 'running')) return;
    let attempt = job.attempt;
    for (const event of batch.events) {
      if (event.type === 'start' && batch.attempt !== attempt) {
        this.beginAttempt(batch);
        attempt = batch.attempt;
      } else if (event.type === 'start' && job.status === 'running') {
        continue; // delivered again: this attempt's start is recorded
      }
      // A worker may refuse a job (its payload, its dataset) before it starts: its `ending` counts then.
      const current = batch.attempt === attempt || (attempt === null && event.type === 'ending');
      if (!current) continue;
      const recorder = this.recorderOf(runId);
      if (event.type === 'ending') {
        this.store.queue.addHistory(runId, `failed on worker ${batch.worker.name}: ${event.error}`);
        recorder.end({ status: event.status, error: event.error });
      } else {
        recorder.record(event);
      }
      if (recorder.finished) {
        this.recorders.delete(runId);
        return;
      }
    }
  }

  /** Ends a run that will send no more events (its job is gone or failed for good); its buffered rows are kept. */
  end(runId: number, ending: RunEnding): void {
    // The ending first: on a full disk it is what must be written (or retried), before its history line.
    try {
      this.recorderOf(runId).end(ending);
    } finally {
      this.recorders.delete(runId);
    }
    this.store.queue.addHistory(runId, `${ending.status}: ${ending.error}`);
  }

  /** Writes every run's buffered rows. A run deleted meanwhile drops its rows quietly. */
  flush(): void {
    for (const [runId, recorder] of this.recorders) {
      try {
        recorder.flush();
      } catch (error) {
        if (this.store.runExists(runId)) throw error;
        recorder.discard();
        this.recorders.delete(runId);
      }
    }
  }

  /** Flushes and stops recording; the runs go on in the queue and a later lab writes the rest. */
  close(): void {
    for (const recorder of this.recorders.values()) recorder.close();
    this.recorders.clear();
  }

  private beginAttempt(batch: EventBatch): void {
    const { runId, worker } = batch;
    // Rows buffered for the earlier attempt must not land after its rows were cleared.
    this.recorders.get(runId)?.discard();
    this.recorders.delete(runId);
    const earlier = this.store.queue.beginAttempt(runId, batch.attempt, worker.name);
    this.store.queue.addHistory(
      runId,
      earlier === null
        ? `taken by worker ${worker.name}`
        : `moved to worker ${worker.name} (attempt ${batch.attempt}): the earlier worker stopped answering; trained again from the start`,
    );
  }

  private recorderOf(runId: number): RunRecorder {
    let recorder = this.recorders.get(runId);
    if (!recorder) {
      recorder = new RunRecorder(this.store, runId, this.emit, this.store.getRun(runId)?.totalSteps ?? 0);
      this.recorders.set(runId, recorder);
    }
    return recorder;
  }
}
