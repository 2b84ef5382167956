import type { TrainEvent } from '../../engine/train/trainEvents';
import type { WorkerInfo } from '../api/labApi';
import type { RunSpec } from '../../shared/runSpec';

/**
 * What the lab and its remote workers say to each other through Redis, in one place: the key names,
 * a run job's payload, the batches of training events a worker streams back, a worker's heartbeat, and
 * the BullMQ settings for runs that last hours.
 *
 * The roads: the lab adds a job per run to the BullMQ queue `runs` (a study's runs as the children of
 * one parent job in the lab's own study queue: a flow); a worker takes it, checks its payload as the API
 * checks a request, trains it in a worker thread and appends its events, in batches, to the lab's event
 * stream (a Redis stream, read by the lab in a consumer group, so what arrives while the lab is down
 * waits there). The lab is the one writer of SQLite. Cancel goes the other way, as a key plus a
 * pub/sub message. Nothing in Redis is trusted: payloads and batches are parsed with schemas first.
 */

/** BullMQ's key prefix: every key CurveLab makes in Redis starts with `curvelab:`. */
export const queuePrefix = 'curvelab';

/** The queue every worker takes runs from, whichever lab queued them. */
export const runQueueName = 'runs';

/** A lab's own queue of study parents (one job per study, whose children are its runs). */
export function studyQueueName(labId: string): string {
  return `studies-${labId}`;
}

/** The stream a lab reads its runs' events from (one per lab: its workers write there, it alone reads). */
export function eventStreamKey(labId: string): string {
  return `${queuePrefix}:events:${labId}`;
}

/** The consumer group in which a lab reads its stream: entries are acknowledged once written to SQLite. */
export const eventConsumerGroup = 'lab';

/** Pub/sub channel on which the lab says "cancel job J"; the message is the job id. */
export const cancelChannel = `${queuePrefix}:cancel`;

/** Set (with a day's expiry) when the lab cancels job J, for a worker that picks it up or subscribes later. */
export function cancelKey(jobId: string): string {
  return `${queuePrefix}:cancel:${jobId}`;
}

/** A worker's heartbeat: a JSON WorkerHeartbeat that expires unless renewed. */
export function workerKey(workerId: string): string {
  return `${queuePrefix}:worker:${workerId}`;
}
export const workerKeyPattern = `${queuePrefix}:worker:*`;

/** How often a worker renews its heartbeat, and how long one lasts: a worker gone for longer disappears from the lab. */
export const heartbeatIntervalMs = 5_000;
export const heartbeatTtlSeconds = 15;

/** A job id: unique per time a run is queued (a run trained again after an interruption gets a new one). */
export function runJobId(labId: string, runId: number, nonce: string): string {
  return `${labId}-${runId}-${nonce}`;
}

/**
 * A run job: which lab wants it (its events go to that lab's stream), the run's row id there, the run
 * spec as the lab checked it (the worker checks it again with the same schema and rules), and the
 * dataset by content hash: the worker trains only on data with that hash (datasetContentHash), found
 * among the paths it was given or fetched from the lab.
 */
export interface RunJobPayload {
  version: 1;
  lab: string;
  runId: number;
  spec: RunSpec;
  dataset: {
    hash: string;
    /** For messages and the local lookup: the dataset's name in the lab, and the source the lab reads (`mnist` or a path there). */
    name: string;
    source: string;
    target: string | null;
  };
}

/**
 * What a worker streams for a run: the engine's training events, in order, plus `ending`, a run that
 * ends without the engine's `done` (the worker refused its payload or dataset, or the job failed for good).
 */
export type QueueRunEvent = TrainEvent | { type: 'ending'; status: 'failed'; error: string };

/**
 * One entry of a lab's event stream (field `batch`, JSON): events of one run from one attempt. An attempt
 * is one worker's processing of the job; when a job moves (its worker died and BullMQ handed it to
 * another), events of the older attempt that arrive after the newer attempt's `start` are dropped.
 */
export interface EventBatch {
  runId: number;
  jobId: string;
  /** Unique per processing of the job: `${workerId}#${k}`. */
  attempt: string;
  worker: { id: string; name: string };
  events: QueueRunEvent[];
}

/** The stream entry's one field. */
export const eventBatchField = 'batch';

/** A worker flushes a run's buffered step events at least this often, and when this many are buffered. */
export const eventBatchIntervalMs = 500;
export const eventBatchMaxEvents = 500;

/**
 * A worker as it describes itself every few seconds (workerKey): what the lab lists (WorkerInfo), with
 * each run's lab and job, from which the lab keeps its own runs. `step`: steps taken so far.
 */
export interface WorkerHeartbeat extends Omit<WorkerInfo, 'runs'> {
  runs: { lab: string; runId: number; jobId: string; since: string; step: number | null; totalSteps: number | null }[];
}

/**
 * BullMQ's settings for runs that last hours, stated in the README. A worker holds a job's lock for
 * `lockDuration` and renews it every half of that while the job trains (the training runs in a worker
 * thread, so the renewal never waits on a step); a job whose lock lapsed (its worker was killed, its
 * machine lost) is found by the stalled check every `stalledInterval` and given to another worker, at
 * most `maxStalledCount` times. A job that fails (its training thread crashed) is tried again up to
 * `attempts` times in all, after an exponential backoff. A run's own ending is never retried: a diverged
 * or cancelled run completes its job; a payload or dataset the worker refuses, or a run the engine
 * refuses (a UserInputError), fails its job at once (BullMQ's UnrecoverableError) after the worker has
 * told the lab why (`ending`).
 */
export const queueTimings = {
  lockDurationMs: 60_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 3,
  attempts: 3,
  backoffDelayMs: 30_000,
} as const;

export type QueueTimings = { [K in keyof typeof queueTimings]: number };

/**
 * The timings, with overrides from the environment (`CURVELAB_QUEUE_LOCK_MS`, `CURVELAB_QUEUE_STALLED_MS`,
 * `CURVELAB_QUEUE_BACKOFF_MS`): the tests shorten them so that a killed worker's run moves in seconds.
 */
export function queueTimingsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueTimings {
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 100) throw new Error(`${name}: expected a whole number of milliseconds ≥ 100, got ${JSON.stringify(text)}`);
    return value;
  };
  return {
    ...queueTimings,
    lockDurationMs: read('CURVELAB_QUEUE_LOCK_MS', queueTimings.lockDurationMs),
    stalledIntervalMs: read('CURVELAB_QUEUE_STALLED_MS', queueTimings.stalledIntervalMs),
    backoffDelayMs: read('CURVELAB_QUEUE_BACKOFF_MS', queueTimings.backoffDelayMs),
  };
}
