import type { EpochEvent, StepEvent, TrainEvent } from '../../engine/train/trainEvents';
import type { LabEvent } from '../api/labApi';
import { StorageError, type RunEnding, type RunJournal, type Store } from '../store';
import { ProgressThrottle } from './progressThrottle';

/** run-progress events per run: at most one per this many ms (always the latest step, and the last). */
const PROGRESS_INTERVAL_MS = 250;

type ProgressEvent = Extract<LabEvent, { type: 'run-progress' }>;

/**
 * One run's training events on their way to the store and the UI, whoever trains it (a worker thread of
 * the RunManager, a remote worker through the queue): the run's journal writes its rows, and the
 * recorder says what happened as LabEvents: `run-status` when the run starts and ends, `run-progress` at
 * most four times a second (always the latest step, and the last before the final status), `run-epoch`
 * for each epoch. A timer flush that fails because the run was deleted meanwhile drops the run's rows
 * quietly and stops the journal.
 */
export class RunRecorder {
  private readonly journal: RunJournal;
  private readonly progress: ProgressThrottle<ProgressEvent>;
  private totalSteps: number;
  private lastStep: StepEvent | null = null;

  constructor(
    private readonly store: Store,
    readonly runId: number,
    private readonly emit: (event: LabEvent) => void,
    /** The steps progress is counted against until the run's `start` says (the spec's, or the row's). */
    totalSteps: number,
  ) {
    this.totalSteps = totalSteps;
    this.progress = new ProgressThrottle(PROGRESS_INTERVAL_MS, (event) => this.emit(event));
    this.journal = store.recordRun(runId, {
      onError: (error) => {
        // A failure beneath SQLite reaches the store's storage listeners, which stop the run.
        if (error instanceof StorageError) return;
        if (store.runExists(runId)) console.error(`run ${runId}: writing metrics failed:`, error);
        else guard(`run ${runId}`, () => this.discard());
      },
    });
  }

  /** The run's status is final here: `done` was recorded, `end` called, or the recorder discarded. */
  get finished(): boolean {
    return this.journal.finished;
  }

  /** The journal writes the event's rows; the UI hears of it. */
  record(event: TrainEvent): void {
    if (event.type === 'done') this.progress.flush(); // the last progress goes out before the final status
    this.journal.record(event);
    switch (event.type) {
      case 'start':
        this.totalSteps = event.totalSteps;
        return emitRunStatus(this.store, this.runId, this.emit);
      case 'step':
        return this.onStep(event);
      case 'epoch':
        return this.onEpoch(event);
      case 'done':
        return emitRunStatus(this.store, this.runId, this.emit);
    }
  }

  /** The run ended without `done` (RunJournal.end): its rows are kept, the reason recorded, and the UI told. */
  end(ending: RunEnding): void {
    this.progress.flush();
    try {
      this.journal.end(ending);
    } finally {
      emitRunStatus(this.store, this.runId, this.emit);
    }
  }

  /** Writes the buffered rows now. */
  flush(): void {
    this.journal.flush();
  }

  /** Writes the buffered rows and stops recording, leaving the run's status as it is (it goes on elsewhere). */
  close(): void {
    this.progress.dispose();
    this.journal.close();
  }

  /** Stops without writing what is buffered (the run's row is gone, or its rows belong to an attempt that lost its job). */
  discard(): void {
    this.progress.dispose();
    this.journal.discard();
  }

  private onStep(event: StepEvent): void {
    this.lastStep = event;
    this.progress.offer({
      type: 'run-progress',
      runId: this.runId,
      step: event.step,
      totalSteps: this.totalSteps,
      epoch: event.epoch,
      loss: finiteOrNull(event.loss),
      accuracy: finiteOrNull(event.accuracy),
      seconds: event.seconds,
      trace: event.trace,
    });
  }

  private onEpoch(event: EpochEvent): void {
    const last = this.lastStep;
    this.emit({
      type: 'run-epoch',
      runId: this.runId,
      epoch: {
        epoch: event.epoch,
        steps: event.steps,
        seconds: event.seconds,
        passes: last ? last.forwardPasses + last.backwardPasses + last.forwardModePasses : 0,
        trainLoss: finiteOrNull(event.trainLoss),
        trainAccuracy: finiteOrNull(event.trainAccuracy),
        valLoss: finiteOrNull(event.valLoss),
        valAccuracy: finiteOrNull(event.valAccuracy),
      },
    });
  }
}

/** `run-status` with the run's row as it is now (nothing when the row is gone or cannot be read). */
export function emitRunStatus(store: Store, runId: number, emit: (event: LabEvent) => void): void {
  const run = guard(`reading run ${runId}`, () => store.getRun(runId));
  if (run) emit({ type: 'run-status', runId, run });
}

/** A run's error when its rows could not be written (a full disk, the database closed…). */
export function recordingFailed(error: unknown): string {
  return `recording the run failed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Runs a step of the bookkeeping that must not take the main process down (a store write on a closed
 * database, a listener that throws): reports a failure on stderr instead.
 */
export function guard<T>(what: string, step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    console.error(`curvelab: ${what} failed:`, error);
    return undefined;
  }
}

function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}
