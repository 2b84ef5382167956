import { randomBytes } from 'node:crypto';
import { arch, availableParallelism, hostname, platform, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker as Thread } from 'node:worker_threads';
import { UnrecoverableError, Worker as BullWorker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BackendReport } from '../../engine/backend';
import { UserInputError } from '../../engine/errors';
import type { DoneEvent, RunOutcome, TrainEvent } from '../../engine/train/trainEvents';
import type { CheckedRunSpec } from '../runSpec/normalizeRuns';
import { defaultConcurrency } from '../runner/defaultConcurrency';
import { probeBackend } from '../runner/probeBackend';
import { trainWorkerUrl } from '../runner/trainWorkerUrl';
import { finishWithoutDone } from '../runner/workerEnding';
import { isFromWorkerMessage, type ToWorkerMessage } from '../runner/workerProtocol';
import { EventBatchWriter } from './eventBatchWriter';
import {
  cancelChannel,
  cancelKey,
  eventBatchField,
  eventStreamKey,
  heartbeatIntervalMs,
  heartbeatTtlSeconds,
  queuePrefix,
  queueTimingsFromEnv,
  runQueueName,
  workerKey,
  type QueueTimings,
  type WorkerHeartbeat,
} from './queueProtocol';
import { checkJobPayload, describeIssues, jobAddress } from './queueSchemas';
import { openRedis, type RedisAddress } from './redisAddress';
import { DatasetRefusedError, type WorkerDatasets } from './workerDatasets';

export interface QueueWorkerOptions {
  redis: RedisAddress;
  /** Runs trained at once, each in its own worker thread. Default: one per core on a CPU backend, one on a GPU. */
  concurrency?: number;
  /** Backend preference for every run ('auto', 'cpu', 'cpu-blas', 'webgpu', …). */
  backend: string;
  /** How the lab shows this worker. Default `${hostname}:${pid}`. */
  name?: string;
  /** Where a job's dataset is found by its content hash. */
  datasets: Pick<WorkerDatasets, 'resolve'>;
  /** Default queueTimingsFromEnv(). */
  timings?: QueueTimings;
  /** One line per job taken and ended, and Redis trouble. */
  log?: (line: string) => void;
  /** The training threads' entry (tests swap in a fake). Default trainWorkerUrl(); the backend probe always uses the real one. */
  workerUrl?: URL;
}

export interface QueueWorker {
  /** Unique per process: `${hostname}-${pid}-${4 hex}`. */
  readonly id: string;
  readonly name: string;
  readonly backend: BackendReport;
  readonly concurrency: number;
  /** Jobs this worker holds now. */
  readonly runningCount: number;
  /** Takes no more jobs, lets the runs it trains finish and report, then leaves. */
  close(): Promise<void>;
  /**
   * Leaves now: the training threads are terminated and their events dropped, and BullMQ is closed
   * without completing their jobs, so that their locks lapse and the jobs move to another worker.
   */
  stopNow(): Promise<void>;
}

/**
 * `curvelab worker`: takes run jobs from the BullMQ queue, checks each payload as the API checks a
 * request, finds its dataset by content hash, trains it in a worker thread (the local runs' trainWorker,
 * so BullMQ's lock renewal on this thread never waits on a step) and streams its events in batches to
 * the lab's event stream. Announces itself with a heartbeat; obeys cancels published by the lab.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const backend = await probeBackend(options.backend);
  const worker = new RemoteWorker(options, backend);
  await worker.start();
  return worker;
}

/** How long leaving waits for Redis to take the heartbeat's removal. */
const RELEASE_WAIT_MS = 2000;

/** A job this worker holds, from its payload check to its end. */
interface ActiveRun {
  jobId: string;
  lab: string;
  runId: number;
  since: string;
  step: number | null;
  totalSteps: number | null;
  events: EventBatchWriter;
  thread: Thread | null;
  cancelRequested: boolean;
  /** Why the run stopped reporting (its lock was lost, or the worker stops now): its job is another worker's. */
  abandoned: string | null;
}

/** How a training thread ended: its run's `done`, the run's own failure (a UserInputError), or a crash. */
type ThreadOutcome = { done: DoneEvent } | { userError: string } | { failure: string };

class RemoteWorker implements QueueWorker {
  readonly id = `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  readonly name: string;
  readonly concurrency: number;
  private readonly timings: QueueTimings;
  private readonly workerUrl: URL;
  private readonly startedAt = new Date().toISOString();
  private readonly runs = new Map<string, ActiveRun>();
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly bullConnection: Redis;
  private bull: BullWorker | null = null;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastBeat: Promise<void> = Promise.resolve();
  private taken = 0;
  private stopping = false;
  private closing: Promise<void> | null = null;
  private released: Promise<void> | null = null;
  private lastError = '';

  constructor(
    private readonly options: QueueWorkerOptions,
    readonly backend: BackendReport,
  ) {
    this.name = options.name ?? `${hostname()}:${process.pid}`;
    this.concurrency = options.concurrency ?? defaultConcurrency(backend.name);
    this.timings = options.timings ?? queueTimingsFromEnv();
    this.workerUrl = options.workerUrl ?? trainWorkerUrl();
    const onError = (error: Error): void => this.reportError(error);
    this.commands = openRedis(options.redis, 'worker', onError);
    this.subscriber = openRedis(options.redis, 'worker-cancel', onError);
    this.bullConnection = openRedis(options.redis, 'worker-bullmq', onError);
  }

  get runningCount(): number {
    return this.runs.size;
  }

  /** Listens for cancels, then takes jobs and beats. A refused connection (a wrong password) rejects; an unreachable Redis is waited for. */
  async start(): Promise<void> {
    try {
      await this.commands.ping();
      this.subscriber.on('message', (_channel: string, jobId: string) => this.cancel(jobId));
      await this.subscriber.subscribe(cancelChannel);
    } catch (error) {
      await this.release();
      // A wrong password or a server that is not Redis: the user's address to fix.
      throw new UserInputError(`Redis at ${this.options.redis.display} refused the worker: ${messageOf(error)}`);
    }
    this.bull = new BullWorker(runQueueName, (job: Job) => this.process(job), {
      connection: this.bullConnection,
      prefix: queuePrefix,
      concurrency: this.concurrency,
      lockDuration: this.timings.lockDurationMs,
      stalledInterval: this.timings.stalledIntervalMs,
      maxStalledCount: this.timings.maxStalledCount,
    });
    this.bull.on('error', (error) => this.reportError(error));
    this.bull.on('lockRenewalFailed', (jobIds: string[]) => {
      for (const jobId of jobIds) {
        const run = this.runs.get(jobId);
        if (run) this.abandon(run, 'its lock was lost; BullMQ gives the job to another worker');
      }
    });
    void this.beat();
    this.heartbeatTimer = setInterval(() => {
      void this.beat();
      void this.pollCancels();
    }, heartbeatIntervalMs);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Pausing waits for the active jobs (their last events flushed) and takes no new ones.
      await this.bull?.pause();
      if (!this.stopping) await this.bull?.close();
      await this.release();
    })();
    return this.closing;
  }

  async stopNow(): Promise<void> {
    this.stopping = true;
    for (const run of this.runs.values()) this.abandon(run, 'stopped with the worker; the job moves to another worker');
    // Closed by force, BullMQ neither completes nor fails the jobs any more: their locks lapse and the jobs stall.
    await this.bull?.close(true);
    await Promise.all([...this.runs.values()].map((run) => run.thread?.terminate()));
    await this.release();
  }

  /** One job: check, find the dataset, train, report. Returns the run's status; throws what BullMQ should know. */
  private async process(job: Job): Promise<{ status: RunOutcome }> {
    const jobId = String(job.id);
    const attempt = `${this.id}#${++this.taken}`;
    const address = jobAddress(job.data);
    const label = address ? `run ${address.runId} of lab ${address.lab.slice(0, 8)}…` : `job ${jobId}`;
    const events = address ? this.eventWriter(address, jobId, attempt) : null;
    /** The run ends failed in the lab: what waited goes first, then `ending`. */
    const endRun = async (error: string): Promise<void> => {
      if (!events) return;
      events.push({ type: 'ending', status: 'failed', error });
      await events.flush();
    };
    const refuse = async (why: string): Promise<never> => {
      const message = `the worker refused the job: ${why}`;
      await endRun(message);
      this.log(`${label}: refused: ${why}`);
      throw new UnrecoverableError(message);
    };

    const verdict = checkJobPayload(job.data);
    if (verdict.payload === null) return refuse(describeIssues(verdict.issues));
    const { payload } = verdict;
    const run: ActiveRun = {
      jobId,
      lab: payload.lab,
      runId: payload.runId,
      since: new Date().toISOString(),
      step: null,
      totalSteps: null,
      events: events!, // the payload passed, so its lab and run are well-formed
      thread: null,
      cancelRequested: false,
      abandoned: null,
    };
    this.runs.set(jobId, run);
    void this.beat();
    const started = Date.now();
    try {
      let source: string;
      try {
        source = await this.options.datasets.resolve(payload.dataset);
      } catch (error) {
        if (error instanceof DatasetRefusedError) return await refuse(error.message);
        throw error;
      }
      if ((await this.commands.exists(cancelKey(jobId))) > 0) run.cancelRequested = true;
      if (run.abandoned !== null) throw new Error(run.abandoned);
      this.log(`${label}: started`);
      const outcome = await this.train(run, payload.spec, source);
      if (run.abandoned !== null) throw new Error(run.abandoned);
      if ('done' in outcome) {
        await run.events.flush();
        this.log(`${label}: ${outcome.done.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return { status: outcome.done.status };
      }
      if ('userError' in outcome) {
        // The run's own failure (a dataset that does not load, a model that does not fit): trying again changes nothing.
        await endRun(outcome.userError);
        this.log(`${label}: failed: ${outcome.userError}`);
        throw new UnrecoverableError(outcome.userError);
      }
      throw new Error(outcome.failure);
    } catch (error) {
      if (run.abandoned !== null) {
        this.log(`${label}: ${run.abandoned}`);
        throw error;
      }
      if (error instanceof UnrecoverableError) throw error;
      const reason = messageOf(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (lastAttempt) await endRun(reason);
      else await run.events.flush();
      this.log(`${label}: failed${lastAttempt ? '' : ' (BullMQ will try it again)'}: ${reason}`);
      throw error;
    } finally {
      this.runs.delete(jobId);
      void this.beat();
    }
  }

  /** Trains the run in a fresh worker thread; resolves when the thread has exited. */
  private train(run: ActiveRun, spec: CheckedRunSpec, source: string): Promise<ThreadOutcome> {
    return new Promise((resolve) => {
      let thread: Thread;
      try {
        thread = new Thread(this.workerUrl);
      } catch (error) {
        return resolve({ failure: `the training worker could not start: ${messageOf(error)}` });
      }
      run.thread = thread;
      let done: DoneEvent | null = null;
      let reported: { message: string; userError: boolean } | null = null;
      let crash: (Error & { code?: string }) | null = null;
      thread.on('message', (message: unknown) => {
        if (!isFromWorkerMessage(message)) return;
        if (message.type === 'event') {
          this.onEvent(run, message.event);
          if (message.event.type === 'done') done = message.event;
        } else if (message.type === 'error') {
          reported = message;
          if (!message.userError) this.log(`run ${run.runId}: the training worker failed: ${message.stack ?? message.message}`);
        }
      });
      thread.on('error', (error: Error) => (crash ??= error));
      thread.on('exit', (exitCode) => {
        run.thread = null;
        if (done) return resolve({ done });
        if (reported?.userError) return resolve({ userError: reported.message });
        resolve({ failure: finishWithoutDone({ exitCode, reportedError: reported?.message ?? null, crash, terminatedAtShutdown: false }).error });
      });
      // A cancel that came first goes first: the thread can reach its first step before it reads a later message.
      if (run.cancelRequested) thread.postMessage({ type: 'cancel' } satisfies ToWorkerMessage);
      thread.postMessage({ type: 'train', runId: run.runId, spec: { ...spec, dataset: source }, backend: this.backend.name } satisfies ToWorkerMessage);
    });
  }

  private onEvent(run: ActiveRun, event: TrainEvent): void {
    if (event.type === 'step') run.step = event.step + 1; // steps taken so far
    run.events.push(event);
    if (event.type === 'start') {
      run.totalSteps = event.totalSteps;
      void this.beat();
    }
  }

  private eventWriter(address: { lab: string; runId: number }, jobId: string, attempt: string): EventBatchWriter {
    const stream = eventStreamKey(address.lab);
    return new EventBatchWriter({ runId: address.runId, jobId, attempt, worker: { id: this.id, name: this.name } }, (batch) =>
      this.commands.xadd(stream, '*', eventBatchField, JSON.stringify(batch)),
    );
  }

  /** The lab cancelled a job: a run that trains stops after its current step; one not started yet stops as it starts. */
  private cancel(jobId: string): void {
    const run = this.runs.get(jobId);
    if (!run || run.cancelRequested) return;
    run.cancelRequested = true;
    run.thread?.postMessage({ type: 'cancel' } satisfies ToWorkerMessage);
  }

  /** The job is no longer this worker's: nothing more of its run is reported, and its thread stops. */
  private abandon(run: ActiveRun, why: string): void {
    if (run.abandoned !== null) return;
    run.abandoned = why;
    run.events.discard();
    run.thread?.postMessage({ type: 'cancel' } satisfies ToWorkerMessage);
  }

  private heartbeat(): WorkerHeartbeat {
    return {
      id: this.id,
      name: this.name,
      host: hostname(),
      platform: platform(),
      arch: arch(),
      cpus: availableParallelism(),
      memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      backend: { name: this.backend.name, reason: this.backend.reason },
      concurrency: this.concurrency,
      startedAt: this.startedAt,
      runs: [...this.runs.values()].map((r) => ({ lab: r.lab, runId: r.runId, jobId: r.jobId, since: r.since, step: r.step, totalSteps: r.totalSteps })),
    };
  }

  /** Renews the heartbeat (every few seconds, and when a run comes, starts or goes). */
  /**
   * Pub/sub delivers a cancel at most once (a subscriber reconnecting at that moment misses it), so the
   * cancel keys of the runs training here are also looked at with every heartbeat.
   */
  private async pollCancels(): Promise<void> {
    const pending = [...this.runs.values()].filter((r) => !r.cancelRequested).map((r) => r.jobId);
    if (pending.length === 0 || this.stopping || this.released) return;
    try {
      const found = await Promise.all(pending.map((jobId) => this.commands.exists(cancelKey(jobId))));
      pending.forEach((jobId, k) => {
        if (found[k]! > 0) this.cancel(jobId);
      });
    } catch (error) {
      this.reportError(error);
    }
  }

  private beat(): Promise<void> {
    if (this.stopping || this.released) return this.lastBeat;
    const heartbeat = JSON.stringify(this.heartbeat());
    this.lastBeat = this.lastBeat
      .then(() => this.commands.set(workerKey(this.id), heartbeat, 'EX', heartbeatTtlSeconds))
      .then(
        () => undefined,
        (error: unknown) => this.reportError(error),
      );
    return this.lastBeat;
  }

  /** Stops beating, removes the heartbeat and closes the connections (once). */
  private release(): Promise<void> {
    this.released ??= (async () => {
      clearInterval(this.heartbeatTimer);
      // Without Redis the heartbeat cannot be removed (it expires by itself): leaving does not wait for it.
      const removed = this.lastBeat.then(() => this.commands.del(workerKey(this.id))).catch((error: unknown) => this.reportError(error));
      await Promise.race([removed, sleep(RELEASE_WAIT_MS, undefined, { ref: false })]);
      for (const connection of [this.subscriber, this.bullConnection, this.commands]) connection.disconnect();
    })();
    return this.released;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** Redis trouble, once per message in a row (an outage repeats itself). */
  private reportError(error: unknown): void {
    const message = messageOf(error);
    if (message === this.lastError) return;
    this.lastError = message;
    this.log(`error: ${message}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
