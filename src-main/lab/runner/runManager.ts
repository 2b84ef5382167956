import type { ResourceLimits } from 'node:worker_threads';
import type { TrainEvent } from '../../engine/train/trainEvents';
import type { LabEvent, RunInfo } from '../api/labApi';
import type { CheckedRunSpec } from '../runSpec/normalizeRuns';
import type { StorageError, Store } from '../store';
import type { QueuedRun, RunExecutor } from './runExecutor';
import { emitRunStatus, guard, recordingFailed, RunRecorder } from './runRecorder';
import { runCheckpoints } from './runCheckpoints';
import { startWorkerTrainer, type StartTrainer, type TrainerPort } from './trainerPort';
import { trainWorkerUrl } from './trainWorkerUrl';
import { runWeightsFile } from '../weights/runWeights';
import { finishWithoutDone } from './workerEnding';
import { isFromWorkerMessage, type FromWorkerMessage, type ToWorkerMessage } from './workerProtocol';

export interface RunManagerOptions {
  store: Store;
  /** Runs training at once; the rest wait in a FIFO queue. */
  concurrency: number;
  /** Backend preference passed to every worker ('auto', 'cpu', 'cpu-blas', 'webgpu', …). */
  backend: string;
  /** Events for the UI. */
  emit: (event: LabEvent) => void;
  /** worker_threads resource limits: a worker out of memory fails its run, not the process. */
  resourceLimits?: ResourceLimits;
  /** Default trainWorkerUrl(). */
  workerUrl?: URL;
  /**
   * Starts what trains a run, given how to start a worker thread on `workerUrl` (the default, as it
   * is): the desktop app trains GPU runs in a page instead (lab/gpuPage).
   */
  startTrainer?: (startWorker: StartTrainer) => TrainerPort;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
const interruptedAtShutdown = 'the lab closed before the run finished; it goes on from its last checkpoint when resumed (a lab resumes its study by itself)';

/** A run waiting for a worker, with the uid of its row (an id names a row; the uid names the run). */
interface WaitingRun extends QueuedRun {
  uid: string;
}

/** A run with a worker. */
interface ActiveRun {
  runId: number;
  uid: string;
  worker: TrainerPort;
  /** Writes the run's rows and tells the UI, from its `start` event to its end. */
  recorder: RunRecorder;
  reportedError: string | null;
  crash: (Error & { code?: string }) | null;
  cancelRequested: boolean;
  terminatedAtShutdown: boolean;
  /** The run's row is gone or going (forget, or its experiment was deleted): the worker is stopped, its events dropped. */
  deleted: boolean;
  exited: Promise<void>;
}

/**
 * Trains queued runs in worker threads, at most `concurrency` at once, one fresh worker per run (a
 * crash or an out-of-memory worker takes only its own run down, and nothing leaks from run to run).
 *
 * The main thread owns the database: a worker only posts the engine's events, and the run's RunRecorder
 * turns them into rows and LabEvents (`run-status` when the run starts and ends, throttled
 * `run-progress`, `run-epoch`); the manager says when a run is queued. Whatever a worker does (throw,
 * exit, run out of memory), its run ends `failed` with the reason, nothing throws in the main thread,
 * and the next queued run starts.
 *
 * Runs come checked (CheckedRunSpec: the lab's normalizeRuns made them) and are not checked again here.
 *
 * Cancelling is cooperative: the worker gets a message and stops after its current step, so the run
 * ends `cancelled` with its rows. worker.terminate() is only the last resort of shutdown(): with the
 * webgpu backend, Dawn aborts the whole process when a thread using it is terminated mid-work.
 *
 * Workers are known by their run's uid, and every event is checked against the row's uid before it is
 * written: a worker still stopping after its run was deleted never writes into another run. When the
 * store cannot write (a full disk), every training run is stopped and ends `failed` with that reason.
 */
export class RunManager implements RunExecutor {
  private readonly store: Store;
  private readonly concurrency: number;
  private readonly workerUrl: URL;
  private readonly queue: WaitingRun[] = [];
  /** By run uid. */
  private readonly active = new Map<string, ActiveRun>();
  private readonly idleWaiters: (() => void)[] = [];
  /** Runs that shutdown leaves interrupted (to be trained again) rather than cancelled. */
  private readonly resumable = new Set<number>();
  private shuttingDown = false;
  private readonly stopWatchingStorage: () => void;

  constructor(private readonly options: RunManagerOptions) {
    if (!Number.isSafeInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`RunManager: concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.store = options.store;
    this.concurrency = options.concurrency;
    this.workerUrl = options.workerUrl ?? trainWorkerUrl();
    this.stopWatchingStorage = this.store.onStorageFailure((error) => this.stopRecording(error));
  }

  /** Creates the run row (queued) in experimentId and queues it; returns the row. */
  enqueue(experimentId: number, spec: CheckedRunSpec): RunInfo {
    if (this.shuttingDown) throw new Error('the run manager has shut down: no new runs');
    // The queued row names this process, so a lab that dies leaves it `interrupted`, not queued forever.
    return this.queueRow(this.store.createRun(experimentId, spec, { pid: process.pid }).id, spec);
  }

  /**
   * Queues runs whose rows exist, `queued` by this process: a study's (stored with its experiment in
   * one transaction) or runs made queued again to train from the start (Store.requeueRun). They are
   * resumable: at shutdown they end `interrupted`, not `cancelled`, so that the study goes on when a
   * lab opens again. Returns the rows.
   */
  queueResumable(runs: QueuedRun[]): RunInfo[] {
    if (this.shuttingDown) throw new Error('the run manager has shut down: no new runs');
    for (const { runId } of runs) this.resumable.add(runId);
    return runs.map(({ runId, spec }) => this.queueRow(runId, spec));
  }

  /**
   * Queued: removed from the queue and marked cancelled at once. Running: asks the worker to stop after
   * the current step (it ends `cancelled` with its rows kept). Unknown/finished: returns the row
   * unchanged (or undefined if there is no row).
   */
  cancel(runId: number): RunInfo | undefined {
    this.resumable.delete(runId); // a run its user cancelled stays cancelled
    const queued = this.queue.findIndex((q) => q.runId === runId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      guard(`cancelling run ${runId}`, () => {
        if (this.store.runExists(runId)) this.store.markRunFinished(runId, { status: 'cancelled' });
      });
      this.emitStatus(runId);
      this.settleIdle();
    } else {
      const run = this.training(runId);
      if (run) this.requestCancel(run);
    }
    return this.store.getRun(runId);
  }

  /**
   * Before the run's rows are deleted: a queued run leaves the queue, a training one's worker is asked to
   * stop and nothing more of it is written (what it has buffered is dropped). Its status is not touched.
   */
  forget(runId: number): void {
    this.resumable.delete(runId);
    const queued = this.queue.findIndex((q) => q.runId === runId);
    if (queued >= 0) this.queue.splice(queued, 1);
    const run = this.training(runId);
    if (run) this.forgetDeleted(run);
    this.settleIdle();
  }

  /** Every training run stops: the store cannot write (a full disk…), so each ends `failed` with this reason. */
  private stopRecording(error: StorageError): void {
    for (const run of this.active.values()) {
      if (run.deleted) continue;
      run.reportedError ??= recordingFailed(error);
      this.requestCancel(run);
    }
  }

  /** Queued or running here. */
  isActive(runId: number): boolean {
    return this.training(runId) !== undefined || this.queue.some((q) => q.runId === runId);
  }

  /** Worker threads alive now. */
  get workerCount(): number {
    return this.active.size;
  }

  /**
   * Cancels everything and waits for workers to end (terminating any still alive after timeoutMs,
   * default 10 s); marks queued runs cancelled. Resumable runs (a study's) end `interrupted` instead,
   * queued or training, to go on from their last checkpoints. No new runs are accepted afterwards.
   */
  async shutdown(timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS): Promise<void> {
    this.shuttingDown = true;
    this.stopWatchingStorage();
    for (const { runId } of [...this.queue]) {
      if (this.resumable.has(runId)) this.interruptQueued(runId);
      else this.cancel(runId);
    }
    for (const run of this.active.values()) this.requestCancel(run);
    const allExited = (): Promise<void> => Promise.all([...this.active.values()].map((r) => r.exited)).then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([allExited(), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // Last resort (see the class comment on webgpu): the worker did not stop after its cancel message.
      for (const run of this.active.values()) {
        run.terminatedAtShutdown = true;
        void run.worker.terminate();
      }
      await allExited();
    }
  }

  /** Resolves when no run is queued or running (for tests and the CLI). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A resumable run still waiting at shutdown: out of the queue, `interrupted`. */
  private interruptQueued(runId: number): void {
    this.queue.splice(this.queue.findIndex((q) => q.runId === runId), 1);
    guard(`interrupting run ${runId}`, () => {
      if (this.store.runExists(runId)) this.store.markRunFinished(runId, { status: 'interrupted', error: interruptedAtShutdown });
    });
    this.emitStatus(runId);
    this.settleIdle();
  }

  private queueRow(runId: number, spec: CheckedRunSpec): RunInfo {
    const row = this.store.getRun(runId);
    if (!row) throw new Error(`run ${runId} has no row to queue`);
    this.queue.push({ runId, uid: row.uid, spec });
    this.emitStatus(runId);
    this.startQueued();
    return this.store.getRun(runId)!; // still queued, unless its worker could not even be created
  }

  private startQueued(): void {
    while (this.active.size < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift()!;
      // A run whose experiment was deleted while it waited is dropped without a trace.
      if (this.store.runExists(next.runId, next.uid)) this.startWorker(next);
    }
    this.settleIdle();
  }

  /** The run training here under this id, unless it is being forgotten. */
  private training(runId: number): ActiveRun | undefined {
    for (const run of this.active.values()) if (run.runId === runId && !run.deleted) return run;
    return undefined;
  }

  private startWorker({ runId, uid, spec }: WaitingRun): void {
    const recorder = new RunRecorder(this.store, runId, (event) => this.emit(event), spec.steps ?? 0);
    let worker: TrainerPort;
    try {
      const startWorker = (): TrainerPort => startWorkerTrainer(this.workerUrl, this.options.resourceLimits);
      worker = this.options.startTrainer ? this.options.startTrainer(startWorker) : startWorker();
    } catch (error) {
      guard(`failing run ${runId}`, () => recorder.end({ status: 'failed', error: `the training worker could not start: ${messageOf(error)}` }));
      return;
    }
    let exited!: () => void;
    const run: ActiveRun = {
      runId,
      uid,
      worker,
      recorder,
      reportedError: null,
      crash: null,
      cancelRequested: false,
      terminatedAtShutdown: false,
      deleted: false,
      exited: new Promise((resolve) => (exited = resolve)),
    };
    this.active.set(uid, run);
    worker.on('message', (message: unknown) => this.onMessage(run, message));
    worker.on('error', (error: Error) => (run.crash ??= error));
    worker.on('exit', (code) => {
      guard(`run ${runId}`, () => this.onExit(run, code));
      this.active.delete(uid);
      if (!this.shuttingDown && !run.deleted) this.resumable.delete(runId);
      exited();
      guard('starting the next queued run', () => this.startQueued());
    });
    const weightsFile = runWeightsFile(this.store.file, uid);
    const checkpoints = runCheckpoints(this.store.file, uid, spec, this.store.getRun(runId)?.storedSteps);
    worker.postMessage({ type: 'train', runId, spec, backend: this.options.backend, ...(weightsFile ? { weightsFile } : {}), ...(checkpoints ? { checkpoints } : {}) } satisfies ToWorkerMessage);
  }

  private onMessage(run: ActiveRun, message: unknown): void {
    if (run.deleted || !isFromWorkerMessage(message)) return;
    try {
      if (!this.store.runExists(run.runId, run.uid)) return this.forgetDeleted(run);
      const m: FromWorkerMessage = message;
      if (m.type === 'error') {
        run.reportedError = m.message;
        if (!m.userError) console.error(`run ${run.runId}: the training worker failed:`, m.stack ?? m.message);
      } else if (m.type === 'event') {
        this.onTrainEvent(run, m.event);
      } else if (m.type === 'checkpoint') {
        // The rows of the steps before it go to the database now, so that a resume from it leaves no gap.
        run.recorder.flush();
      }
    } catch (error) {
      // The store refused a write (disk full, database closed…): the run cannot be recorded, so stop it;
      // it ends failed with this reason when its worker exits.
      run.reportedError ??= recordingFailed(error);
      this.requestCancel(run);
    }
  }

  /** The recorder writes the event's rows and tells the UI. */
  private onTrainEvent(run: ActiveRun, event: TrainEvent): void {
    const stopped = event.type === 'done' && event.status === 'cancelled';
    if (stopped && run.reportedError !== null) {
      // The lab stopped it because it could not be recorded: it failed, whatever of its end still fits.
      run.recorder.end({ status: 'failed', error: run.reportedError });
    } else if (stopped && this.shuttingDown && this.resumable.has(run.runId)) {
      // A resumable run stopped by shutdown is interrupted, to be trained again, not cancelled by a user.
      run.recorder.end({ status: 'interrupted', error: interruptedAtShutdown });
    } else {
      run.recorder.record(event);
    }
  }

  /** The worker is gone. Without a `done` event the run failed (or was interrupted by shutdown): the journal records why. */
  private onExit(run: ActiveRun, exitCode: number): void {
    if (run.deleted || run.recorder.finished) return run.recorder.discard();
    if (!this.store.runExists(run.runId, run.uid)) return this.forgetDeleted(run);
    run.recorder.end(
      finishWithoutDone({ exitCode, reportedError: run.reportedError, crash: run.crash, terminatedAtShutdown: run.terminatedAtShutdown }),
    );
  }

  /** The run's row was (or is about to be) deleted: stop the worker, drop its events, write nothing. */
  private forgetDeleted(run: ActiveRun): void {
    run.deleted = true;
    this.requestCancel(run);
    run.recorder.discard();
  }

  private requestCancel(run: ActiveRun): void {
    if (run.cancelRequested) return;
    run.cancelRequested = true;
    // Posting to a worker that has just exited is a no-op.
    run.worker.postMessage({ type: 'cancel' } satisfies ToWorkerMessage);
  }

  private emitStatus(runId: number): void {
    emitRunStatus(this.store, runId, (event) => this.emit(event));
  }

  private emit(event: LabEvent): void {
    guard('a lab event listener', () => this.options.emit(event));
  }

  private settleIdle(): void {
    if (this.queue.length > 0 || this.active.size > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
