import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { RunHistoryEntry, RunStatus } from '../api/labApi';

/** A run that a queue trains, as the lab tracks it: its job, the attempt whose events it writes, its status. */
export interface QueueRunRow {
  runId: number;
  jobId: string;
  attempt: string | null;
  status: 'queued' | 'running';
}

/**
 * The store's rows for runs trained through a Redis queue (migration 005): this database's lab id, the
 * job and attempt of each such run, the worker that trains it, and every run's history.
 */
export class QueueRows {
  constructor(private readonly db: Database.Database) {}

  /** This database's lab id (32 hex digits), made once: its event stream and study queue in Redis are named after it. */
  labId(): string {
    const existing = this.db.prepare("SELECT value FROM lab_settings WHERE key = 'lab_id'").pluck().get() as string | undefined;
    if (existing) return existing;
    const id = randomUUID().replaceAll('-', '');
    this.db.prepare("INSERT OR IGNORE INTO lab_settings (key, value) VALUES ('lab_id', ?)").run(id);
    return this.db.prepare("SELECT value FROM lab_settings WHERE key = 'lab_id'").pluck().get() as string;
  }

  /** The run is (queued again) in the queue as job `jobId`: no attempt, no worker yet. */
  assignJob(runId: number, jobId: string): void {
    this.db.prepare('UPDATE runs SET queue_job = ?, queue_attempt = NULL, worker = NULL WHERE id = ?').run(jobId, runId);
  }

  /** Queued or running runs that a queue trains, oldest first. */
  pendingRuns(): QueueRunRow[] {
    return this.db
      .prepare(
        `SELECT id AS runId, queue_job AS jobId, queue_attempt AS attempt, status FROM runs
         WHERE queue_job IS NOT NULL AND status IN ('queued', 'running') ORDER BY id`,
      )
      .all() as QueueRunRow[];
  }

  /** The job and attempt of a run, and its status (undefined: no such run). */
  jobOf(runId: number): { jobId: string | null; attempt: string | null; status: RunStatus } | undefined {
    return this.db.prepare('SELECT queue_job AS jobId, queue_attempt AS attempt, status FROM runs WHERE id = ?').get(runId) as
      | { jobId: string | null; attempt: string | null; status: RunStatus }
      | undefined;
  }

  /**
   * A new attempt of the run's job begins on `worker`: from now on only its events are written. When an
   * earlier attempt had begun (the job moved), the run's rows of metrics, traces and overviews are deleted and its
   * results cleared in the same transaction, so that it trains again from the start without a duplicate.
   * Returns the earlier attempt, or null.
   */
  beginAttempt(runId: number, attempt: string, worker: string): string | null {
    return this.db.transaction(() => {
      const previous = this.jobOf(runId)?.attempt ?? null;
      if (previous !== null) {
        for (const table of ['step_metrics', 'epoch_metrics', 'trace_values', 'curve_overviews']) this.db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(runId);
        this.db
          .prepare(
            `UPDATE runs SET steps = NULL, train_loss = NULL, val_loss = NULL, val_accuracy = NULL,
               train_eval_loss = NULL, train_eval_accuracy = NULL, error = NULL WHERE id = ?`,
          )
          .run(runId);
      }
      this.db.prepare('UPDATE runs SET queue_attempt = ?, worker = ? WHERE id = ?').run(attempt, worker, runId);
      return previous;
    })();
  }

  addHistory(runId: number, event: string): void {
    this.db.prepare('INSERT INTO run_history (run_id, at, event) VALUES (?, ?, ?)').run(runId, new Date().toISOString(), event);
  }

  history(runId: number): RunHistoryEntry[] {
    return this.db.prepare('SELECT at, event FROM run_history WHERE run_id = ? ORDER BY id').all(runId) as RunHistoryEntry[];
  }
}
