import { randomBytes } from 'node:crypto';
import { FlowProducer, Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { UserInputError } from '../../engine/errors';
import type { DatasetInfo, LabEvent, MachineInfo, RunInfo, WorkerInfo } from '../api/labApi';
import type { QueuedRun, RunExecutor } from '../runner/runExecutor';
import { emitRunStatus, guard, recordingFailed } from '../runner/runRecorder';
import type { CheckedRunSpec } from '../runSpec/normalizeRuns';
import type { RunEnding, StorageError, Store } from '../store';
import { EventStreamReader, type StreamEntry } from './eventStreamReader';
import { listQueueWorkers } from './listQueueWorkers';
import {
  cancelChannel,
  cancelKey,
  eventBatchField,
  eventConsumerGroup,
  eventStreamKey,
  queuePrefix,
  queueTimingsFromEnv,
  runJobId,
  runQueueName,
  studyQueueName,
  type QueueTimings,
  type RunJobPayload,
} from './queueProtocol';
import { QueueRunWriter } from './queueRunWriter';
import { parseEventBatch } from './queueSchemas';
import { openRedis, type RedisAddress } from './redisAddress';

export interface QueueRunnerOptions {
  store: Store;
  address: RedisAddress;
  /** Events for the UI. */
  emit: (event: LabEvent) => void;
  /** The registered dataset of a run's spec (the lab's DatasetRegistry.find): its content hash goes in the job. */
  datasetOf: (spec: CheckedRunSpec) => DatasetInfo | undefined;
  /** Default queueTimingsFromEnv(). */
  timings?: QueueTimings;
  /** How often the runs whose job is gone or failed for good are looked for (default 5 s). */
  reconcileIntervalMs?: number;
  /** How long open() waits for Redis to answer (default 5 s). */
  connectTimeoutMs?: number;
}

/** Finished jobs stay in Redis this long (for BullMQ's tools and the lab's reconciliation), then go. */
const KEEP_COMPLETED_S = 7 * 24 * 3600;
const KEEP_FAILED_S = 30 * 24 * 3600;
/** A cancel a worker has not seen yet waits this long for it. */
const CANCEL_TTL_S = 24 * 3600;
/** The one reader of a lab's stream, under the same name in every process, so that entries pending after a crash are read again. */
const CONSUMER = 'writer';
const SHUTDOWN_WAIT_MS = 3000;
interface BullObjects {
  queue: Queue;
  flows: FlowProducer;
  studyWorker: Worker;
}

/** Job states in which no worker holds the job: it is removed, and its run cancelled at once. */
const notTaken = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'unknown']);

/**
 * The lab as a producer on a BullMQ queue on Redis, and the one writer of its SQLite database: runs are
 * queued as jobs (a study's as one flow: a parent job in the lab's study queue whose children are its
 * runs) that `curvelab worker`s anywhere take; their events come back in batches on the lab's event
 * stream, read in a consumer group and written through each run's RunRecorder before they are
 * acknowledged (QueueRunWriter).
 *
 * A run on the queue does not depend on this process: shutdown() stops reading and lets go of Redis,
 * and the workers go on; their events wait in the stream for the next lab that opens the database with
 * the queue, which tracks the runs again and reads them. Every few seconds, once the stream is read to
 * its end, runs whose job is gone from the queue are marked interrupted, and those whose job failed for
 * good failed, with BullMQ's reason.
 */
export class QueueRunner implements RunExecutor {
  readonly labId: string;
  private readonly store: Store;
  private readonly timings: QueueTimings;
  private readonly commands: Redis;
  private readonly blocking: Redis;
  /** BullMQ's queue of runs, its flows and the lab's worker on its study queue: made once Redis has answered (open). */
  private bull: BullObjects | null = null;
  private readonly reader: EventStreamReader;
  private readonly writer: QueueRunWriter;
  /** Runs this lab waits for (idle): those it queued and those it found on the queue. */
  private readonly tracked = new Set<number>();
  /** Runs whose job is being added: not yet in Redis, and not to be taken for lost. */
  private readonly adding = new Set<number>();
  private readonly idleWaiters: (() => void)[] = [];
  private lastReconcile = -Infinity;
  /** While open() waits for Redis: takes the first connection error, which fails the opening. */
  private failOpening: ((error: Error) => void) | null = null;
  /** Once open() failed, the connections' later complaints are not reported again. */
  private openFailed = false;
  private closing: Promise<void> | null = null;
  private readonly stopWatchingStorage: () => void;

  constructor(private readonly options: QueueRunnerOptions) {
    this.store = options.store;
    this.stopWatchingStorage = this.store.onStorageFailure((error) => this.stopRecording(error));
    this.labId = options.store.queue.labId();
    this.timings = options.timings ?? queueTimingsFromEnv();
    const onError = (error: Error): void => {
      if (this.failOpening) this.failOpening(error);
      else if (!this.openFailed) console.error(`curvelab: ${error.message}`);
    };
    this.commands = openRedis(options.address, 'lab', onError);
    this.blocking = openRedis(options.address, 'lab-events', onError);
    this.writer = new QueueRunWriter(this.store, (event) => this.emit(event));
    this.reader = new EventStreamReader({
      blocking: this.blocking,
      commands: this.commands,
      key: eventStreamKey(this.labId),
      group: eventConsumerGroup,
      consumer: CONSUMER,
      onEntries: (entries) => this.onEntries(entries),
      onCaughtUp: () => this.onCaughtUp(),
      onError: (error) => console.error('curvelab: reading the event stream failed:', error),
    });
  }

  /**
   * Connects (a clear error when Redis does not answer), makes the event stream's consumer group, tracks
   * the runs of this database still on the queue, and starts reading their events and finishing studies.
   */
  async open(): Promise<void> {
    const { display } = this.options.address;
    const hint = '(is redis-server running there, and are the address and password right?)';
    const timeoutMs = this.options.connectTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      this.failOpening = (error) => reject(new UserInputError(`${error.message} ${hint}`));
      timer = setTimeout(() => reject(new UserInputError(`Redis at ${display} did not answer within ${timeoutMs / 1000} s ${hint}`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([this.commands.ping(), this.blocking.ping()]), failed]);
    } catch (error) {
      this.openFailed = true;
      throw error instanceof UserInputError ? error : new UserInputError(`Redis at ${display}: ${error instanceof Error ? error.message : String(error)} ${hint}`);
    } finally {
      clearTimeout(timer);
      this.failOpening = null;
    }
    await EventStreamReader.ensureGroup(this.commands, eventStreamKey(this.labId), eventConsumerGroup);
    const connection = { connection: this.commands, prefix: queuePrefix };
    const queue = new Queue(runQueueName, connection);
    const flows = new FlowProducer(connection);
    const studyWorker = new Worker(studyQueueName(this.labId), async () => 'done', { ...connection, concurrency: 1 });
    // Connection errors are reported once per outage by the connections themselves.
    queue.on('error', () => undefined);
    flows.on('error', () => undefined);
    studyWorker.on('error', () => undefined);
    // A study's parent completes once every run of it has ended (completed, or failed for good).
    studyWorker.on('completed', () => this.emit({ type: 'studies-changed' }));
    this.bull = { queue, flows, studyWorker };
    // Closing BullMQ's objects before they are ready leaves a rejection nobody handles: they are ready when open() returns.
    await Promise.all([queue.waitUntilReady(), flows.waitUntilReady(), studyWorker.waitUntilReady()]);
    for (const run of this.store.queue.pendingRuns()) this.tracked.add(run.runId);
    this.reader.start();
  }

  /** Where runs train, for MachineInfo. */
  get machineQueue(): NonNullable<MachineInfo['queue']> {
    return { address: this.options.address.display, labId: this.labId };
  }

  async enqueue(experimentId: number, spec: CheckedRunSpec): Promise<RunInfo> {
    this.refuseWhenClosed();
    // The row names this lab's process; a queue run is never orphaned by it (its job is recorded).
    const run = this.store.createRun(experimentId, spec, { pid: process.pid });
    await this.addJobs([{ runId: run.id, spec }], null);
    return this.store.getRun(run.id)!;
  }

  /** Runs whose rows exist and are queued; a study's (`study`) as one flow whose parent completes when they have all ended. */
  async queueResumable(runs: QueuedRun[], study?: number): Promise<RunInfo[]> {
    this.refuseWhenClosed();
    await this.addJobs(runs, study ?? null);
    return runs.map(({ runId }) => this.store.getRun(runId)!);
  }

  /**
   * A run whose job no worker holds (waiting, delayed for a retry): the job is removed and the run
   * cancelled at once. A run training: the worker is told (a key it finds when it looks, and a message
   * for one listening); its `done`, cancelled, comes through the stream.
   */
  async cancel(runId: number): Promise<RunInfo | undefined> {
    const run = this.store.queue.jobOf(runId);
    if (!run?.jobId || !unfinished(run.status)) return this.store.getRun(runId);
    const job: Job | undefined = await this.opened().queue.getJob(run.jobId);
    const state = job ? await job.getState() : 'unknown';
    if (notTaken.has(state) && (await removed(job))) {
      if (!job) await this.signalCancel(run.jobId); // its job is on its way to Redis: a worker that takes it finds the cancel
      this.store.markRunFinished(runId, { status: 'cancelled' });
      this.store.queue.addHistory(runId, 'cancelled before a worker took it');
      this.emitStatus(runId);
      this.settleIdle();
    } else {
      await this.signalCancel(run.jobId);
      this.store.queue.addHistory(runId, 'cancel sent to its worker');
    }
    return this.store.getRun(runId);
  }

  /** Before the run's rows are deleted: as cancel (events that come later find no run and are dropped). */
  async forget(runId: number): Promise<void> {
    await this.cancel(runId);
  }

  /** Queued or training on the queue: this lab writes the events of every such run of its database. */
  isActive(runId: number): boolean {
    const run = this.store.queue.jobOf(runId);
    return run !== undefined && run.jobId !== null && unfinished(run.status);
  }

  /** Resolves when none of the runs this lab queued or found on the queue is queued or training (or at shutdown). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.settleIdle();
    });
  }

  /** The `curvelab worker`s alive now. */
  listWorkers(): Promise<WorkerInfo[]> {
    return listQueueWorkers(this.commands, this.labId);
  }

  /**
   * Stops reading and lets go of Redis; the runs on the queue go on (their workers keep training, their
   * events wait in the stream). Rows already read are written first.
   */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.stopWatchingStorage();
      await within(SHUTDOWN_WAIT_MS, this.reader.stop());
      guard('writing the last rows read', () => this.writer.close());
      const bull = this.bull;
      if (bull) await within(SHUTDOWN_WAIT_MS, Promise.allSettled([bull.studyWorker.close(), bull.queue.close(), bull.flows.close()]));
      this.commands.disconnect();
      this.blocking.disconnect();
      this.settleIdle();
    })();
    return this.closing;
  }

  /** Writes the runs' rows, marks their jobs and adds them to the queue (a study's as one flow); a run that cannot be queued fails with why. */
  private async addJobs(runs: QueuedRun[], study: number | null): Promise<void> {
    const children: { runId: number; name: string; queueName: string; data: RunJobPayload; opts: JobsOptions }[] = [];
    for (const { runId, spec } of runs) {
      const dataset = this.options.datasetOf(spec);
      if (!dataset) {
        this.writer.end(runId, { status: 'failed', error: `its dataset ${JSON.stringify(spec.dataset)} is not registered in the lab` });
        continue;
      }
      const jobId = runJobId(this.labId, runId, nonce());
      this.store.queue.assignJob(runId, jobId);
      this.store.queue.addHistory(runId, `queued as job ${jobId}`);
      this.tracked.add(runId);
      this.adding.add(runId);
      const data: RunJobPayload = {
        version: 1,
        lab: this.labId,
        runId,
        spec,
        dataset: { hash: dataset.contentHash, name: dataset.name, source: dataset.source, target: dataset.target },
      };
      children.push({ runId, name: 'run', queueName: runQueueName, data, opts: this.jobOptions(jobId) });
      this.emitStatus(runId);
    }
    if (children.length === 0) return;
    try {
      if (study === null) {
        await this.opened().queue.addBulk(children.map(({ name, data, opts }) => ({ name, data, opts })));
      } else {
        await this.opened().flows.add({
          name: 'study',
          queueName: studyQueueName(this.labId),
          data: { study },
          opts: { jobId: `${this.labId}-study-${study}-${nonce()}`, removeOnComplete: { age: KEEP_COMPLETED_S }, removeOnFail: { age: KEEP_FAILED_S } },
          // A run that fails for good is one result of the study: it neither blocks nor fails the parent.
          children: children.map(({ name, queueName, data, opts }) => ({ name, queueName, data, opts: { ...opts, ignoreDependencyOnFailure: true } })),
        });
      }
    } catch (error) {
      const why = `it could not be queued on Redis: ${error instanceof Error ? error.message : String(error)}`;
      for (const { runId } of children) guard(`failing run ${runId}`, () => this.writer.end(runId, { status: 'failed', error: why }));
    } finally {
      for (const { runId } of children) this.adding.delete(runId);
      this.settleIdle();
    }
  }

  private jobOptions(jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.timings.attempts,
      backoff: { type: 'exponential', delay: this.timings.backoffDelayMs },
      removeOnComplete: { age: KEEP_COMPLETED_S },
      removeOnFail: { age: KEEP_FAILED_S },
    };
  }

  /** Every batch is parsed before a row of it is written; a refused entry is reported once and acknowledged. */
  private onEntries(entries: StreamEntry[]): void {
    for (const entry of entries) {
      const text = entry.fields?.[eventBatchField];
      const parsed = text === undefined ? { error: `no ${eventBatchField} field` } : parseEventBatch(text);
      if ('error' in parsed) console.error(`curvelab: event stream entry ${entry.id} refused and dropped: ${parsed.error}`);
      else this.writer.write(parsed.batch);
    }
    this.writer.flush();
    this.settleIdle();
  }

  private async onCaughtUp(): Promise<void> {
    const intervalMs = this.options.reconcileIntervalMs ?? 5000;
    if (performance.now() - this.lastReconcile >= intervalMs) {
      this.lastReconcile = performance.now();
      await this.reconcile();
    }
    this.settleIdle();
  }

  /**
   * Runs of this database on the queue are tracked; those whose job will send nothing more (gone, failed
   * for good, completed without its run's end arriving) are ended once the stream is read to where it
   * was when the job was seen ended: everything its workers sent is written first.
   */
  private async reconcile(): Promise<void> {
    const pending = this.store.queue.pendingRuns().filter((run) => !this.adding.has(run.runId));
    for (const run of pending) this.tracked.add(run.runId);
    const endings = await Promise.all(pending.map(async (run) => ({ run, ending: await this.endingOfJob(run.jobId) })));
    const lost = endings.filter((e): e is typeof e & { ending: RunEnding } => e.ending !== null);
    if (lost.length === 0) return;
    await this.reader.drain();
    for (const { run, ending } of lost) {
      const now = this.store.queue.jobOf(run.runId);
      if (now?.jobId === run.jobId && unfinished(now.status)) this.writer.end(run.runId, ending);
    }
  }

  /** How a run ends whose job will send nothing more, or null while its job is waiting or held by a worker. */
  private async endingOfJob(jobId: string): Promise<RunEnding | null> {
    const { queue } = this.opened();
    // The state first: BullMQ writes a failed job's reason with its state, so a job read after its state
    // has the reason; read before, it may be the job as it was while still active.
    const state = await queue.getJobState(jobId);
    if (state === 'unknown') return { status: 'interrupted', error: 'its job is no longer in the queue' };
    if (state === 'failed') return { status: 'failed', error: (await queue.getJob(jobId))?.failedReason || 'its job failed' };
    if (state === 'completed') return { status: 'interrupted', error: 'its job completed, but the end of the run never reached the lab' };
    return null;
  }

  /** The store cannot write (a full disk…): every run of this lab on the queue is cancelled and ends `failed` with why. */
  private stopRecording(error: StorageError): void {
    const ending: RunEnding = { status: 'failed', error: recordingFailed(error) };
    for (const { runId, jobId } of this.store.queue.pendingRuns()) {
      this.signalCancel(jobId).catch(() => undefined);
      guard(`failing run ${runId}`, () => this.writer.end(runId, ending));
    }
    this.settleIdle();
  }

  private async signalCancel(jobId: string): Promise<void> {
    await this.commands.multi().set(cancelKey(jobId), '1', 'EX', CANCEL_TTL_S).publish(cancelChannel, jobId).exec();
  }

  private settleIdle(): void {
    for (const runId of this.tracked) if (!this.isActive(runId)) this.tracked.delete(runId);
    if (this.tracked.size > 0 && this.closing === null) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private refuseWhenClosed(): void {
    if (this.closing) throw new Error('the queue runner has shut down: no new runs');
  }

  private opened(): BullObjects {
    if (!this.bull) throw new Error('the queue runner is not open');
    return this.bull;
  }

  private emitStatus(runId: number): void {
    emitRunStatus(this.store, runId, (event) => this.emit(event));
  }

  private emit(event: LabEvent): void {
    guard('a lab event listener', () => this.options.emit(event));
  }
}

function unfinished(status: RunInfo['status']): boolean {
  return status === 'queued' || status === 'running';
}

/** Removes a job no worker holds; false when a worker took it meanwhile (BullMQ refuses to remove a locked job). */
async function removed(job: Job | undefined): Promise<boolean> {
  if (!job) return true;
  try {
    await job.remove();
    return true;
  } catch {
    return false;
  }
}

function nonce(): string {
  return randomBytes(6).toString('hex');
}

/** Waits for `work`, at most `ms` (shutdown must not hang on a Redis that went away). */
async function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
