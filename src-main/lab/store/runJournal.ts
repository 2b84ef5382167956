import type Database from 'better-sqlite3';
import type { EpochEvent, StartEvent, StepEvent, TrainEvent } from '../../engine/train/trainEvents';
import type { RunFinish } from './records';

export interface RunJournalOptions {
  /** Buffered rows are written at least this often while the run trains (default 1000 ms). */
  flushIntervalMs?: number;
  /** …and as soon as this many step events are buffered (default 2000). */
  maxBufferedSteps?: number;
  /** A timer flush that fails (say the run was deleted meanwhile) reports here and drops its batch; default: console.error. */
  onError?: (err: unknown) => void;
}

/** How a run ended that never reported `done`, and why (in words, for the run's error column). */
export interface RunEnding {
  status: 'failed' | 'interrupted';
  error: string;
}

/** What the journal needs of the store besides its own statements: the run row's two status changes. */
export interface RunStatusWrites {
  started(runId: number, event: StartEvent): void;
  finished(runId: number, finish: RunFinish): void;
}

/** Number or null: SQLite has no NaN, and a diverged run's NaN loss is stored as null. */
function real(x: number | null | undefined): number | null {
  return x === null || x === undefined || Number.isNaN(x) ? null : x;
}

/**
 * Turns one run's training events into its rows, for every caller (the lab's run manager, `curvelab
 * train`): `start` marks the run running with its backend and step counts; step metrics, trace values
 * and epoch metrics are buffered and written in one transaction per flush from prepared statements, at
 * least once per `flushIntervalMs` (a crash loses at most that much); `done` flushes and records how the
 * run ended in the same transaction. A run that ends without `done` (its job threw, its worker died,
 * the lab shut down) is closed with `end`, which keeps its rows and records the reason, the steps it
 * took and its last loss.
 */
export class RunJournal {
  private steps: StepEvent[] = [];
  private epochs: EpochEvent[] = [];
  private lastStep: StepEvent | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly maxBufferedSteps: number;
  private readonly insertStep: Database.Statement;
  private readonly insertTrace: Database.Statement;
  private readonly insertEpoch: Database.Statement;
  private readonly writeBatch: (finish: RunFinish | null) => void;
  private closed = false;
  private ended = false;

  constructor(
    private readonly db: Database.Database,
    readonly runId: number,
    private readonly status: RunStatusWrites,
    private readonly onClose: (journal: RunJournal) => void,
    options: RunJournalOptions = {},
  ) {
    this.maxBufferedSteps = options.maxBufferedSteps ?? 2000;
    this.insertStep = db.prepare(
      `INSERT OR REPLACE INTO step_metrics
         (run_id, step, epoch, loss, accuracy, seconds, forward_passes, backward_passes, forward_mode_passes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertTrace = db.prepare('INSERT OR REPLACE INTO trace_values (run_id, step, name, value) VALUES (?, ?, ?, ?)');
    this.insertEpoch = db.prepare(
      `INSERT OR REPLACE INTO epoch_metrics
         (run_id, epoch, steps, train_loss, train_accuracy, val_loss, val_accuracy, seconds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.writeBatch = db.transaction((finish: RunFinish | null) => {
      for (const s of this.steps) {
        this.insertStep.run(
          runId, s.step, s.epoch, real(s.loss), real(s.accuracy), s.seconds,
          s.forwardPasses, s.backwardPasses, s.forwardModePasses,
        );
        for (const [name, value] of Object.entries(s.trace)) this.insertTrace.run(runId, s.step, name, real(value));
      }
      for (const e of this.epochs) {
        this.insertEpoch.run(
          runId, e.epoch, e.steps, real(e.trainLoss), real(e.trainAccuracy), real(e.valLoss), real(e.valAccuracy), e.seconds,
        );
      }
      if (finish) status.finished(runId, finish);
    });
    const onError = options.onError ?? ((err: unknown) => console.error(`run ${runId}: writing metrics failed:`, err));
    this.timer = setInterval(() => {
      try {
        this.flush();
      } catch (err) {
        this.steps = [];
        this.epochs = [];
        onError(err);
      }
    }, options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Nothing more is written of the run's status: `done` was recorded, `end` called, or the journal discarded. */
  get finished(): boolean {
    return this.ended;
  }

  /** Takes the run's next event. */
  record(event: TrainEvent): void {
    if (this.closed) throw new Error(`run ${this.runId}: recorder is closed`);
    switch (event.type) {
      case 'start':
        this.status.started(this.runId, event);
        break;
      case 'step':
        this.steps.push(event);
        this.lastStep = event;
        if (this.steps.length >= this.maxBufferedSteps) this.flush();
        break;
      case 'epoch':
        this.epochs.push(event);
        break;
      case 'done':
        this.write({
          status: event.status,
          steps: event.steps,
          trainLoss: real(event.trainLoss),
          valLoss: real(event.valLoss),
          valAccuracy: real(event.valAccuracy),
          trainEvalLoss: real(event.trainEvalLoss),
          trainEvalAccuracy: real(event.trainEvalAccuracy),
          error: event.reason ?? null,
        });
        this.ended = true;
        this.close();
        break;
    }
  }

  /**
   * The run ended without a `done` event: writes what is buffered, then the ending with the steps taken
   * and the last finite batch loss. Does nothing once the run's status is final.
   */
  end(ending: RunEnding): void {
    if (this.ended) return;
    this.ended = true;
    const last = this.lastStep;
    try {
      this.close(); // keeps the steps it was sent
    } finally {
      this.status.finished(this.runId, {
        ...ending,
        steps: last ? last.step + 1 : null,
        trainLoss: last !== null && Number.isFinite(last.loss) ? last.loss : null,
      });
    }
  }

  /** Writes what is buffered, in one transaction. */
  flush(): void {
    if (this.steps.length > 0 || this.epochs.length > 0) this.write(null);
  }

  /** Flushes and stops (even when the flush fails: then it throws, its rows lost); the run's status is left as it is. Idempotent. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      clearInterval(this.timer);
      this.onClose(this);
    }
  }

  /**
   * Stops without writing what is buffered: for a run whose row was deleted while it trained (its
   * rows could not be written, the foreign keys forbid it). Idempotent.
   */
  discard(): void {
    this.steps = [];
    this.epochs = [];
    this.ended = true;
    this.close();
  }

  private write(finish: RunFinish | null): void {
    if (!this.db.open) return;
    this.writeBatch(finish);
    this.steps = [];
    this.epochs = [];
  }
}
