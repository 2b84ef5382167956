import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { DatasetInfo } from '../api/labApi';
import { doneEvent, startEvent, stepEvent } from '../runner/trainEvents.testkit';
import { eventBatchField, eventStreamKey, queuePrefix, runQueueName, type EventBatch, type QueueRunEvent, type RunJobPayload } from './queueProtocol';

/**
 * Test helpers for the lab's side of the queue: the tests play the worker themselves, taking jobs with a
 * BullMQ Worker in this process and streaming hand-made batches of events to the lab, as `curvelab
 * worker` does (without training anything).
 */

/** A plain client of the test's Redis. */
export function testRedisClient(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Appends one batch to a lab's event stream, as a worker does. */
export async function sendBatch(redis: Redis, labId: string, batch: EventBatch): Promise<void> {
  await redis.xadd(eventStreamKey(labId), '*', eventBatchField, JSON.stringify(batch));
}

/** The batch an attempt sends for a job. */
export function batchOf(job: { runId: number; jobId: string }, attempt: string, events: QueueRunEvent[]): EventBatch {
  const workerId = attempt.split('#')[0]!;
  return { runId: job.runId, jobId: job.jobId, attempt, worker: { id: workerId, name: `worker-${workerId}` }, events };
}

/** A whole run of `steps` steps (start, each step with loss 10 − step, done) as one batch's events. */
export function wholeRun(steps: number): QueueRunEvent[] {
  return [startEvent(steps), ...Array.from({ length: steps }, (_, s) => stepEvent(s, 10 - s)), doneEvent(steps)];
}

export interface FakeQueueWorker {
  /** The ids of the jobs it took, in order. */
  taken: string[];
  close(): Promise<void>;
}

/**
 * Takes run jobs from the queue (one at a time) and hands each to `train`, with `send` to stream its
 * batches under attempt `${id}#k`; the job completes when `train` resolves and fails when it throws.
 */
export function startFakeQueueWorker(
  url: string,
  train: (job: Job<RunJobPayload>, send: (events: QueueRunEvent[]) => Promise<void>) => Promise<void>,
  id = 'w1',
): FakeQueueWorker {
  const redis = testRedisClient(url);
  const taken: string[] = [];
  const worker = new Worker<RunJobPayload>(
    runQueueName,
    async (job) => {
      taken.push(job.id!);
      const attempt = `${id}#${taken.length}`;
      const target = { runId: job.data.runId, jobId: job.id! };
      await train(job, (events) => sendBatch(redis, job.data.lab, batchOf(target, attempt, events)));
    },
    { connection: redis, prefix: queuePrefix },
  );
  return {
    taken,
    async close() {
      await worker.close();
      redis.disconnect();
    },
  };
}

/** A registered dataset as the registry describes it, for a runner without a lab. */
export const toyDataset: DatasetInfo = {
  id: 1,
  name: 'toy',
  source: '/data/toy.csv',
  origin: 'path',
  target: 'label',
  format: 'csv',
  contentHash: 'ab'.repeat(32),
  task: 'classification',
  inputShape: [2],
  classes: 2,
  classNames: null,
  trainSize: 8,
  validationSize: 4,
  createdAt: '2025-01-01T00:00:00.000Z',
};

/** Polls until `condition` holds (a queue's events arrive within a second or so). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
