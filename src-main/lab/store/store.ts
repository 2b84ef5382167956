import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { RunSpec } from '../../shared/runSpec';
import type { CurvePoint, RunStatus, StudyCell } from '../api/labApi';
import { ArchiveRows } from './archiveRows';
import { CurveReader, pointsOfColumns, type CurveColumns, type StoredCurvePoint, type CurveQuery } from './curveQuery';
import { DatasetRows } from './datasetRows';
import { guardDatabase } from './guardedDatabase';
import { LabSession, ownerlessRunIsOrphan, type LabSessionOptions } from './labSession';
import { QueueRows } from './queueRows';
import type {
  EpochMetricsRecord,
  LatestStepRecord,
  ExperimentRecord,
  RunFinish,
  RunRecord,
  RunRecordStatus,
  StudyExperimentRecord,
  StudyRecord,
  StudyRunInput,
} from './records';
import { RunJournal, type RunJournalOptions } from './runJournal';
import { StorageError } from './storeErrors';

interface ExperimentRow {
  id: number;
  uid: string;
  name: string;
  notes: string;
  tags: string;
  created_at: string;
  run_count: number;
}

interface RunRow {
  id: number;
  uid: string;
  experiment_id: number;
  spec: string;
  optimizer: string;
  status: RunRecordStatus;
  backend: string | null;
  pid: number | null;
  worker: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  steps: number | null;
  total_steps: number | null;
  steps_per_epoch: number | null;
  stored_steps: number;
  best_val_accuracy: number | null;
  best_val_loss: number | null;
  notes: string;
  tags: string;
  train_loss: number | null;
  val_loss: number | null;
  val_accuracy: number | null;
  train_eval_loss: number | null;
  train_eval_accuracy: number | null;
  error: string | null;
}

// Step rows are written in step order from step 0 (a resumed run rewrites those after its checkpoint), so the
// newest step + 1 counts them: one index seek per run, where COUNT(*) walked every row (50 ms for 1M steps).
const runColumns = `r.*, COALESCE((SELECT MAX(step) FROM step_metrics m WHERE m.run_id = r.id) + 1, 0) AS stored_steps,
  (SELECT MAX(val_accuracy) FROM epoch_metrics e WHERE e.run_id = r.id) AS best_val_accuracy,
  (SELECT MIN(val_loss) FROM epoch_metrics e WHERE e.run_id = r.id) AS best_val_loss`;

function toExperiment(row: ExperimentRow): ExperimentRecord {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
    runCount: row.run_count,
  };
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    uid: row.uid,
    experimentId: row.experiment_id,
    spec: JSON.parse(row.spec) as RunSpec,
    optimizer: row.optimizer,
    status: row.status,
    backend: row.backend,
    pid: row.pid,
    worker: row.worker,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    totalSteps: row.total_steps,
    stepsPerEpoch: row.steps_per_epoch,
    steps: row.steps,
    storedSteps: row.stored_steps,
    trainLoss: row.train_loss,
    valLoss: row.val_loss,
    valAccuracy: row.val_accuracy,
    trainEvalLoss: row.train_eval_loss,
    trainEvalAccuracy: row.train_eval_accuracy,
    bestValAccuracy: row.best_val_accuracy,
    bestValLoss: row.best_val_loss,
    error: row.error,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
  };
}

function now(): string {
  return new Date().toISOString();
}

export interface StoreOptions {
  /** Opened for reading only: no session, no heartbeat, nothing written. */
  readOnly?: boolean;
  /** The session's heartbeat and when another's is stale (tests shorten them). */
  session?: LabSessionOptions;
}

/**
 * The lab's database: experiments, runs and their recorded metrics. Open it with `openStore`.
 *
 * Every call that fails beneath SQLite (a full disk, a read-only file, an I/O error) throws a
 * StorageError, and `onStorageFailure` listeners hear of it (guardDatabase). A store opened for writing
 * holds a LabSession: queued and running runs record it, its heartbeat is renewed every few seconds, and
 * with each heartbeat runs whose session is dead are marked interrupted (`onRunsInterrupted`).
 */
export class Store {
  private readonly db: Database.Database;
  private readonly curves: CurveReader;
  private readonly journals = new Set<RunJournal>();
  private readonly runUidStatement: Database.Statement<[number], string>;
  /** This process's session; null when the store is read-only (or, in tests, its schema predates sessions). */
  private readonly session: LabSession | null;
  private readonly heartbeat: NodeJS.Timeout | undefined;
  private readonly storageListeners = new Set<(error: StorageError) => void>();
  private readonly interruptedListeners = new Set<(runIds: number[]) => void>();
  /** Endings that could not be written (the disk was full): written with a later heartbeat. */
  private readonly unwrittenEndings = new Map<number, RunFinish>();
  /** Statements of the reads made once per run (the compare view reads fifty runs at a time; the poll of other processes' progress, every running run twice a second), prepared once. */
  private readonly perRunReads = new Map<string, Database.Statement>();
  /** The registry of datasets. */
  readonly datasets: DatasetRows;
  /** Whole rows for experiment archives. */
  readonly archive: ArchiveRows;
  /** Runs trained through a Redis queue, the lab id, run histories. */
  readonly queue: QueueRows;

  constructor(
    /** The better-sqlite3 connection, migrated: the store guards it and only its own modules touch it. */
    connection: Database.Database,
    /** The file it was opened from, or `:memory:`. */
    readonly file: string,
    options: StoreOptions = {},
  ) {
    const db = guardDatabase(connection, file, (error) => this.storageFailed(error));
    this.db = db;
    this.curves = new CurveReader(db);
    this.datasets = new DatasetRows(db);
    this.archive = new ArchiveRows(db);
    this.queue = new QueueRows(db);
    this.runUidStatement = db.prepare<[number], string>('SELECT uid FROM runs WHERE id = ?').pluck();
    const sessions = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'lab_sessions'").get() !== undefined;
    this.session = !options.readOnly && sessions ? new LabSession(db, options.session) : null;
    if (this.session) {
      this.heartbeat = setInterval(() => this.keepAlive(), this.session.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  /**
   * Calls `listener` for each failure beneath SQLite, after the call that failed has thrown it (so a
   * listener can act without being inside that call). Returns the function that stops it.
   */
  onStorageFailure(listener: (error: StorageError) => void): () => void {
    this.storageListeners.add(listener);
    return () => this.storageListeners.delete(listener);
  }

  /** Calls `listener` with the runs a heartbeat found orphaned and marked interrupted. Returns the function that stops it. */
  onRunsInterrupted(listener: (runIds: number[]) => void): () => void {
    this.interruptedListeners.add(listener);
    return () => this.interruptedListeners.delete(listener);
  }

  createExperiment(input: { name: string; notes?: string; tags?: string[] }): ExperimentRecord {
    const { id } = this.db
      .prepare('INSERT INTO experiments (uid, name, notes, tags, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
      .get(randomUUID(), input.name, input.notes ?? '', JSON.stringify(input.tags ?? []), now()) as { id: number };
    return this.getExperiment(id)!;
  }

  getExperiment(id: number): ExperimentRecord | undefined {
    const row = this.db
      .prepare('SELECT e.*, (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id) AS run_count FROM experiments e WHERE e.id = ?')
      .get(id) as ExperimentRow | undefined;
    return row && toExperiment(row);
  }

  /** Newest first. */
  listExperiments(): ExperimentRecord[] {
    const rows = this.db
      .prepare('SELECT e.*, (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id) AS run_count FROM experiments e ORDER BY e.id DESC')
      .all() as ExperimentRow[];
    return rows.map(toExperiment);
  }

  /** Changes the given fields; undefined if there is no such experiment. */
  updateExperiment(id: number, input: { name?: string; notes?: string; tags?: string[] }): ExperimentRecord | undefined {
    this.db
      .prepare('UPDATE experiments SET name = COALESCE(?, name), notes = COALESCE(?, notes), tags = COALESCE(?, tags) WHERE id = ?')
      .run(input.name ?? null, input.notes ?? null, input.tags ? JSON.stringify(input.tags) : null, id);
    return this.getExperiment(id);
  }

  /** Deletes the experiment with its runs and all their rows (foreign keys cascade). False if there was none. */
  deleteExperiment(id: number): boolean {
    return this.db.prepare('DELETE FROM experiments WHERE id = ?').run(id).changes > 0;
  }

  /** A new run, `queued` by this store's session; a study's with its cell. */
  createRun(experimentId: number, spec: RunSpec, options: { pid?: number | null; studyCell?: StudyCell } = {}): RunRecord {
    const { id } = this.db
      .prepare('INSERT INTO runs (uid, experiment_id, spec, optimizer, pid, session, created_at, study_cell) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id')
      .get(
        randomUUID(), experimentId, JSON.stringify(spec), spec.optimizer, options.pid ?? null, this.sessionId(), now(),
        options.studyCell ? JSON.stringify(options.studyCell) : null,
      ) as { id: number };
    return this.getRun(id)!;
  }

  /**
   * A study's experiment and all its runs (`queued`, owned by process `pid`), in one transaction: a
   * study is stored whole or not at all. Returns the experiment and the run ids in the order given.
   */
  createStudy(input: { name: string; study: StudyRecord; runs: StudyRunInput[]; pid: number }): { experiment: ExperimentRecord; runIds: number[] } {
    return this.db.transaction(() => {
      const { id } = this.db
        .prepare('INSERT INTO experiments (uid, name, created_at, study) VALUES (?, ?, ?, ?) RETURNING id')
        .get(randomUUID(), input.name, now(), JSON.stringify(input.study)) as { id: number };
      const runIds = input.runs.map((run) => this.createRun(id, run.spec, { pid: input.pid, studyCell: run.cell }).id);
      return { experiment: this.getExperiment(id)!, runIds };
    })();
  }

  /** The study an experiment holds, with its runs counted by status; undefined for an experiment that is not a study (or none). */
  getStudy(experimentId: number): StudyExperimentRecord | undefined {
    const experiment = this.getExperiment(experimentId);
    const study = this.db.prepare('SELECT study FROM experiments WHERE id = ?').pluck().get(experimentId) as string | null | undefined;
    return experiment && study ? { experiment, study: JSON.parse(study) as StudyRecord, statusCounts: this.statusCounts(experimentId) } : undefined;
  }

  /** Every study, newest first. */
  listStudies(): StudyExperimentRecord[] {
    const ids = this.db.prepare('SELECT id FROM experiments WHERE study IS NOT NULL ORDER BY id DESC').pluck().all() as number[];
    return ids.map((id) => this.getStudy(id)!);
  }

  /** The cells of a study's runs, by run id (a run without one is left out). */
  studyCells(experimentId: number): Map<number, StudyCell> {
    const rows = this.db.prepare('SELECT id, study_cell AS cell FROM runs WHERE experiment_id = ? AND study_cell IS NOT NULL').all(experimentId) as {
      id: number;
      cell: string;
    }[];
    return new Map(rows.map((r) => [r.id, JSON.parse(r.cell) as StudyCell]));
  }

  /**
   * An interrupted run made `queued` again to train from the start, by process `pid`, with this spec:
   * its rows of metrics and traces deleted, its status, times, results and error cleared; its id, uid,
   * experiment, cell, notes and tags kept. One transaction that claims the run only while it is still
   * interrupted, so of two labs resuming it at once one gets it. True when this call claimed it.
   * `fromStep`: it goes on from its checkpoint of that step, so only the rows after it go (steps and
   * traces from that step, epochs that ended after it).
   */
  requeueRun(runId: number, spec: RunSpec, pid: number, fromStep = 0): boolean {
    return this.db.transaction(() => {
      const claimed =
        this.db
          .prepare(
            `UPDATE runs SET status = 'queued', spec = ?, optimizer = ?, pid = ?, session = ?, backend = NULL, started_at = NULL, ended_at = NULL,
               steps = NULL, total_steps = NULL, steps_per_epoch = NULL, train_loss = NULL, val_loss = NULL, val_accuracy = NULL,
               train_eval_loss = NULL, train_eval_accuracy = NULL, error = NULL, queue_job = NULL, queue_attempt = NULL, worker = NULL
             WHERE id = ? AND status = 'interrupted'`,
          )
          .run(JSON.stringify(spec), spec.optimizer, pid, this.sessionId(), runId).changes === 1;
      if (claimed) {
        this.db.prepare('DELETE FROM step_metrics WHERE run_id = ? AND step >= ?').run(runId, fromStep);
        this.db.prepare('DELETE FROM trace_values WHERE run_id = ? AND step >= ?').run(runId, fromStep);
        this.db.prepare('DELETE FROM epoch_metrics WHERE run_id = ? AND steps > ?').run(runId, fromStep);
        this.db.prepare('DELETE FROM curve_overviews WHERE run_id = ?').run(runId);
      }
      return claimed;
    })();
  }

  /**
   * Whether the run's row is there (cheaper than getRun; a run goes with its experiment), and with `uid`
   * whether it is still that run.
   */
  runExists(id: number, uid?: string): boolean {
    const found = this.runUidStatement.get(id);
    return found !== undefined && (uid === undefined || found === uid);
  }

  getRun(id: number): RunRecord | undefined {
    const row = this.perRunRead(`SELECT ${runColumns} FROM runs r WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row && toRun(row);
  }

  /** All runs, or one experiment's, oldest first, each with the number of step rows stored. */
  listRuns(filter: { experimentId?: number } = {}): RunRecord[] {
    const rows = (
      filter.experimentId === undefined
        ? this.db.prepare(`SELECT ${runColumns} FROM runs r ORDER BY r.id`).all()
        : this.db.prepare(`SELECT ${runColumns} FROM runs r WHERE r.experiment_id = ? ORDER BY r.id`).all(filter.experimentId)
    ) as RunRow[];
    return rows.map(toRun);
  }

  /** Changes the run's notes and tags; undefined if there is no such run. */
  updateRun(id: number, input: { notes?: string; tags?: string[] }): RunRecord | undefined {
    this.db
      .prepare('UPDATE runs SET notes = COALESCE(?, notes), tags = COALESCE(?, tags) WHERE id = ?')
      .run(input.notes ?? null, input.tags ? JSON.stringify(input.tags) : null, id);
    return this.getRun(id);
  }

  /** Deletes one run and its rows. False if there was none. */
  deleteRun(id: number): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  /** The run is training now, recorded by this store's session, in process `pid` (default: this one), for `totalSteps` steps. */
  markRunStarted(runId: number, input: { backend: string; pid?: number; totalSteps?: number; stepsPerEpoch?: number }): void {
    this.db
      .prepare("UPDATE runs SET status = 'running', backend = ?, pid = ?, session = ?, started_at = ?, total_steps = ?, steps_per_epoch = ? WHERE id = ?")
      .run(input.backend, input.pid ?? process.pid, this.sessionId(), now(), input.totalSteps ?? null, input.stepsPerEpoch ?? null, runId);
  }

  /**
   * How the run ended, with its final metrics or error; its curves' overviews are computed from its rows
   * in the same transaction (the journal's `done` writes its last rows in it too). When that cannot be
   * stored (a full disk), the ending alone is written (overviews are computed on a later read), and when
   * not even that can, it is written with a later heartbeat; the StorageError is thrown either way.
   */
  markRunFinished(runId: number, finish: RunFinish): void {
    this.unwrittenEndings.delete(runId);
    try {
      this.db.transaction(() => {
        this.writeEnding(runId, finish);
        this.curves.writeOverviews(runId, this.traceNames(runId));
      })();
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      this.unwrittenEndings.set(runId, finish);
      // Inside a caller's transaction (the journal's last batch) the write would roll back with it.
      if (!this.db.inTransaction) {
        try {
          this.writeEnding(runId, finish);
          this.unwrittenEndings.delete(runId);
        } catch {
          // Still unwritten: the next heartbeat tries again.
        }
      }
      throw error;
    }
  }

  /**
   * Runs marked `running` or `queued` whose session is dead (LabSession), or that name none (recorded
   * before sessions) and whose process is gone, become `interrupted`; their metrics stay. A queued run
   * belongs to the lab session that queued it: once that is gone nothing will ever train it. A run a
   * queue trains (its job recorded) is not orphaned: the queue holds it, and the next lab that opens
   * with the queue writes its events. The rows of dead sessions go. Returns the ids changed. `openStore`
   * calls this, and so does each heartbeat.
   */
  interruptOrphanedRuns(): number[] {
    const session = this.session;
    if (session === null) return [];
    const pending = this.db
      .prepare("SELECT id, status, session, pid FROM runs WHERE status IN ('running', 'queued') AND queue_job IS NULL ORDER BY id")
      .all() as { id: number; status: 'running' | 'queued'; session: string | null; pid: number | null }[];
    const sessions = session.rows();
    const orphaned = pending.filter((r) => (r.session === null ? ownerlessRunIsOrphan(r.pid) : session.isDead(r.session, sessions)));
    const mark = this.db.prepare(
      `UPDATE runs SET status = 'interrupted', ended_at = ?, error = ?,
         steps = (SELECT COUNT(*) FROM step_metrics m WHERE m.run_id = runs.id)
       WHERE id = ? AND status = ?`,
    );
    const reasons = {
      running: 'the process training this run ended without finishing it',
      queued: 'the lab that queued this run stopped before it started',
    };
    const at = now();
    this.db.transaction(() => {
      orphaned.forEach((r) => mark.run(at, reasons[r.status], r.id, r.status));
      session.forgetDead(sessions);
    })();
    return orphaned.map((r) => r.id);
  }

  /**
   * The journal that writes this run's training events as its rows, from `start` to `done` (or to the
   * end it met without one). Close it (or let `done` or `end` close it) when the run ends.
   */
  recordRun(runId: number, options?: RunJournalOptions): RunJournal {
    const journal = new RunJournal(
      this.db,
      runId,
      {
        started: (id, event) =>
          this.markRunStarted(id, { backend: event.backend, totalSteps: event.totalSteps, stepsPerEpoch: event.stepsPerEpoch }),
        finished: (id, finish) => this.markRunFinished(id, finish),
      },
      (j) => this.journals.delete(j),
      options,
    );
    this.journals.add(journal);
    return journal;
  }

  /** A per-step series (`loss`, `accuracy` or a trace name), downsampled to at most `maxPoints`. */
  readCurve(runId: number, query: CurveQuery): StoredCurvePoint[] {
    return this.curves.read(runId, query);
  }

  /** readCurve as the Lab API hands it out: each point's fractional epoch, the epochs completed at the end of its step. */
  readRunCurve(run: Pick<RunRecord, 'id' | 'stepsPerEpoch'>, query: CurveQuery): CurvePoint[] {
    return pointsOfColumns(this.readRunCurveColumns(run, query));
  }

  /** readRunCurve as columns (what the compare view is sent). */
  readRunCurveColumns(run: Pick<RunRecord, 'id' | 'stepsPerEpoch'>, query: CurveQuery): CurveColumns {
    const { epochIndex, ...columns } = this.curves.readColumns(run.id, query);
    // Older runs lack stepsPerEpoch: their points get the end of their epoch.
    const epoch = run.stepsPerEpoch ? columns.step.map((step) => (step + 1) / run.stepsPerEpoch!) : epochIndex.map((e) => e + 1);
    return { ...columns, epoch };
  }

  /** The per-step metrics a run has: `loss`, and `accuracy` once a step recorded one (classification). */
  metricNames(runId: number): string[] {
    const hasAccuracy = this.perRunRead('SELECT EXISTS (SELECT 1 FROM step_metrics WHERE run_id = ? AND accuracy IS NOT NULL) AS found', 'pluck').get(runId) as number;
    return hasAccuracy ? ['loss', 'accuracy'] : ['loss'];
  }

  /**
   * SQLite's `PRAGMA data_version`: it changes when another connection (another process) commits, never
   * for this connection's own writes, so polling it is how the lab notices rows it did not write.
   */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** The run's newest stored step row with its traces (the live progress of a run another process trains). */
  latestStep(runId: number): LatestStepRecord | undefined {
    const row = this.perRunRead('SELECT step, epoch, loss, accuracy, seconds FROM step_metrics WHERE run_id = ? ORDER BY step DESC LIMIT 1').get(runId) as
      | Omit<LatestStepRecord, 'trace'>
      | undefined;
    if (!row) return undefined;
    const traces = this.perRunRead('SELECT name, value FROM trace_values WHERE run_id = ? AND step = ?').all(runId, row.step) as { name: string; value: number | null }[];
    return { ...row, trace: Object.fromEntries(traces.filter((t) => t.value !== null).map((t) => [t.name, t.value as number])) };
  }

  /** The trace names a run recorded. */
  traceNames(runId: number): string[] {
    // One index seek per name (trace_values is keyed run, name, step), not a scan of every row.
    return this.perRunRead(
      `WITH RECURSIVE names(name) AS (
         SELECT (SELECT MIN(name) FROM trace_values WHERE run_id = @runId)
         UNION ALL
         SELECT (SELECT MIN(name) FROM trace_values WHERE run_id = @runId AND name > names.name) FROM names WHERE name IS NOT NULL
       )
       SELECT name FROM names WHERE name IS NOT NULL`,
      'pluck',
    ).all({ runId }) as string[];
  }

  /** Per-epoch train and validation metrics, in order, with the passes done by the epoch's last step. */
  readEpochMetrics(runId: number): EpochMetricsRecord[] {
    return this.perRunRead(
      `SELECT e.epoch, e.steps, e.train_loss AS trainLoss, e.train_accuracy AS trainAccuracy, e.val_loss AS valLoss,
              e.val_accuracy AS valAccuracy, e.seconds,
              COALESCE(m.forward_passes + m.backward_passes + m.forward_mode_passes, 0) AS passes
       FROM epoch_metrics e LEFT JOIN step_metrics m ON m.run_id = e.run_id AND m.step = e.steps - 1
       WHERE e.run_id = ? ORDER BY e.epoch`,
    ).all(runId) as EpochMetricsRecord[];
  }

  /** A read statement prepared on first use and kept (`pluck`: it answers the first column's values). */
  private perRunRead(sql: string, mode: 'rows' | 'pluck' = 'rows'): Database.Statement {
    const key = `${mode}:${sql}`;
    let statement = this.perRunReads.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (mode === 'pluck') statement.pluck();
      this.perRunReads.set(key, statement);
    }
    return statement;
  }

  private statusCounts(experimentId: number): Partial<Record<RunStatus, number>> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM runs WHERE experiment_id = ? GROUP BY status ORDER BY status').all(experimentId) as {
      status: RunStatus;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Flushes and closes open journals, ends the session, then closes the database. */
  close(): void {
    clearInterval(this.heartbeat);
    try {
      for (const j of [...this.journals]) j.close();
    } finally {
      try {
        this.session?.end();
      } finally {
        this.db.close();
      }
    }
  }

  /** The session queued and started runs record (null: read-only, or a schema from before sessions). */
  private sessionId(): string | null {
    return this.session?.id ?? null;
  }

  private writeEnding(runId: number, finish: RunFinish): void {
    this.db
      .prepare(
        `UPDATE runs SET status = ?, ended_at = ?, steps = COALESCE(?, steps), train_loss = ?, val_loss = ?, val_accuracy = ?,
           train_eval_loss = ?, train_eval_accuracy = ?, error = ?
         WHERE id = ?`,
      )
      .run(
        finish.status, now(), finish.steps ?? null, finish.trainLoss ?? null, finish.valLoss ?? null,
        finish.valAccuracy ?? null, finish.trainEvalLoss ?? null, finish.trainEvalAccuracy ?? null, finish.error ?? null, runId,
      );
  }

  /** The heartbeat: renews the session, writes endings that could not be written, and interrupts orphaned runs. */
  private keepAlive(): void {
    try {
      this.session!.beat();
      for (const [runId, finish] of this.unwrittenEndings) {
        this.writeEnding(runId, finish);
        this.unwrittenEndings.delete(runId);
      }
      const interrupted = this.interruptOrphanedRuns();
      if (interrupted.length > 0) for (const listener of this.interruptedListeners) listener(interrupted);
    } catch (error) {
      // A failure beneath SQLite has reached the storage listeners; anything else is a bug to report.
      if (!(error instanceof StorageError)) console.error(`curvelab: the heartbeat of ${this.file} failed:`, error);
    }
  }

  private storageFailed(error: StorageError): void {
    queueMicrotask(() => {
      for (const listener of this.storageListeners) {
        try {
          listener(error);
        } catch (failure) {
          console.error('curvelab: a storage failure listener failed:', failure);
        }
      }
    });
  }
}
