import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { RunSpec } from '../../shared/runSpec';
import type { CurvePoint, RunStatus, StudyCell } from '../api/labApi';
import { ArchiveRows } from './archiveRows';
import { CurveReader, pointsOfColumns, type CurveColumns, type StoredCurvePoint, type CurveQuery } from './curveQuery';
import { DatasetRows } from './datasetRows';
import { processAlive } from './processAlive';
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

const runColumns = `r.*, (SELECT COUNT(*) FROM step_metrics m WHERE m.run_id = r.id) AS stored_steps,
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

/** The lab's database: experiments, runs and their recorded metrics. Open it with `openStore`. */
export class Store {
  private readonly curves: CurveReader;
  private readonly journals = new Set<RunJournal>();
  private readonly runExistsStatement: Database.Statement<[number], number>;
  /** The registry of datasets. */
  readonly datasets: DatasetRows;
  /** Whole rows for experiment archives. */
  readonly archive: ArchiveRows;
  /** Runs trained through a Redis queue, the lab id, run histories. */
  readonly queue: QueueRows;

  constructor(
    /** The better-sqlite3 connection, migrated: only the store's own modules touch it. */
    private readonly db: Database.Database,
    /** The file it was opened from, or `:memory:`. */
    readonly file: string,
  ) {
    this.curves = new CurveReader(db);
    this.datasets = new DatasetRows(db);
    this.archive = new ArchiveRows(db);
    this.queue = new QueueRows(db);
    this.runExistsStatement = db.prepare<[number], number>('SELECT 1 FROM runs WHERE id = ?').pluck();
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

  /** A new run, `queued`; a study's with its cell. */
  createRun(experimentId: number, spec: RunSpec, options: { pid?: number | null; studyCell?: StudyCell } = {}): RunRecord {
    const { id } = this.db
      .prepare('INSERT INTO runs (uid, experiment_id, spec, optimizer, pid, created_at, study_cell) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id')
      .get(
        randomUUID(), experimentId, JSON.stringify(spec), spec.optimizer, options.pid ?? null, now(),
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
   */
  requeueRun(runId: number, spec: RunSpec, pid: number): boolean {
    return this.db.transaction(() => {
      const claimed =
        this.db
          .prepare(
            `UPDATE runs SET status = 'queued', spec = ?, optimizer = ?, pid = ?, backend = NULL, started_at = NULL, ended_at = NULL,
               steps = NULL, total_steps = NULL, steps_per_epoch = NULL, train_loss = NULL, val_loss = NULL, val_accuracy = NULL,
               train_eval_loss = NULL, train_eval_accuracy = NULL, error = NULL, queue_job = NULL, queue_attempt = NULL, worker = NULL
             WHERE id = ? AND status = 'interrupted'`,
          )
          .run(JSON.stringify(spec), spec.optimizer, pid, runId).changes === 1;
      if (claimed) for (const table of ['step_metrics', 'epoch_metrics', 'trace_values', 'curve_overviews']) this.db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(runId);
      return claimed;
    })();
  }

  /** Whether the run's row is there (cheaper than getRun; a run goes with its experiment). */
  runExists(id: number): boolean {
    return this.runExistsStatement.get(id) !== undefined;
  }

  getRun(id: number): RunRecord | undefined {
    const row = this.db.prepare(`SELECT ${runColumns} FROM runs r WHERE r.id = ?`).get(id) as RunRow | undefined;
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

  /** The run is training now, in process `pid` (default: this one), for `totalSteps` steps. */
  markRunStarted(runId: number, input: { backend: string; pid?: number; totalSteps?: number; stepsPerEpoch?: number }): void {
    this.db
      .prepare("UPDATE runs SET status = 'running', backend = ?, pid = ?, started_at = ?, total_steps = ?, steps_per_epoch = ? WHERE id = ?")
      .run(input.backend, input.pid ?? process.pid, now(), input.totalSteps ?? null, input.stepsPerEpoch ?? null, runId);
  }

  /**
   * How the run ended, with its final metrics or error; its curves' overviews are computed from its rows
   * in the same transaction (the journal's `done` writes its last rows in it too).
   */
  markRunFinished(runId: number, finish: RunFinish): void {
    this.db.transaction(() => {
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
      this.curves.writeOverviews(runId, this.traceNames(runId));
    })();
  }

  /**
   * Runs marked `running` or `queued` whose process is gone (or never recorded) become `interrupted`;
   * their metrics stay. A queued run belongs to the lab process that queued it: once that process is
   * gone nothing will ever train it. A run a queue trains (its job recorded) is not orphaned: the queue
   * holds it, and the next lab that opens with the queue writes its events. Returns the ids changed.
   * `openStore` calls this.
   */
  interruptOrphanedRuns(alive: (pid: number) => boolean = processAlive): number[] {
    // A schema from before the queue (migration 005) has no run on a queue.
    const queueColumn = (this.db.pragma('table_info(runs)') as { name: string }[]).some((c) => c.name === 'queue_job');
    const notOnQueue = queueColumn ? ' AND queue_job IS NULL' : '';
    const pending = this.db.prepare(`SELECT id, pid, status FROM runs WHERE status IN ('running', 'queued')${notOnQueue}`).all() as {
      id: number;
      pid: number | null;
      status: 'running' | 'queued';
    }[];
    const orphaned = pending.filter((r) => r.pid === null || !alive(r.pid));
    if (orphaned.length === 0) return [];
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
    this.db.transaction(() => orphaned.forEach((r) => mark.run(at, reasons[r.status], r.id, r.status)))();
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
    const hasAccuracy = this.db
      .prepare('SELECT EXISTS (SELECT 1 FROM step_metrics WHERE run_id = ? AND accuracy IS NOT NULL) AS found')
      .pluck()
      .get(runId) as number;
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
    const row = this.db
      .prepare('SELECT step, epoch, loss, accuracy, seconds FROM step_metrics WHERE run_id = ? ORDER BY step DESC LIMIT 1')
      .get(runId) as Omit<LatestStepRecord, 'trace'> | undefined;
    if (!row) return undefined;
    const traces = this.db.prepare('SELECT name, value FROM trace_values WHERE run_id = ? AND step = ?').all(runId, row.step) as { name: string; value: number | null }[];
    return { ...row, trace: Object.fromEntries(traces.filter((t) => t.value !== null).map((t) => [t.name, t.value as number])) };
  }

  /** The trace names a run recorded. */
  traceNames(runId: number): string[] {
    // One index seek per name (trace_values is keyed run, name, step), not a scan of every row.
    return this.db
      .prepare(
        `WITH RECURSIVE names(name) AS (
           SELECT (SELECT MIN(name) FROM trace_values WHERE run_id = @runId)
           UNION ALL
           SELECT (SELECT MIN(name) FROM trace_values WHERE run_id = @runId AND name > names.name) FROM names WHERE name IS NOT NULL
         )
         SELECT name FROM names WHERE name IS NOT NULL`,
      )
      .pluck()
      .all({ runId }) as string[];
  }

  /** Per-epoch train and validation metrics, in order, with the passes done by the epoch's last step. */
  readEpochMetrics(runId: number): EpochMetricsRecord[] {
    return this.db
      .prepare(
        `SELECT e.epoch, e.steps, e.train_loss AS trainLoss, e.train_accuracy AS trainAccuracy, e.val_loss AS valLoss,
                e.val_accuracy AS valAccuracy, e.seconds,
                COALESCE(m.forward_passes + m.backward_passes + m.forward_mode_passes, 0) AS passes
         FROM epoch_metrics e LEFT JOIN step_metrics m ON m.run_id = e.run_id AND m.step = e.steps - 1
         WHERE e.run_id = ? ORDER BY e.epoch`,
      )
      .all(runId) as EpochMetricsRecord[];
  }

  private statusCounts(experimentId: number): Partial<Record<RunStatus, number>> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM runs WHERE experiment_id = ? GROUP BY status ORDER BY status').all(experimentId) as {
      status: RunStatus;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Flushes and closes open journals, then the database. */
  close(): void {
    for (const j of [...this.journals]) j.close();
    this.db.close();
  }
}
