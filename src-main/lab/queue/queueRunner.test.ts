import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabEvent, RunStatus } from '../api/labApi';
import { doneEvent, epochEvent, startEvent, stepEvent } from '../runner/trainEvents.testkit';
import { checkedRunSpec } from '../runSpec/runRequests.testkit';
import { openStore, type Store } from '../store';
import { databaseOf } from '../store/storeDatabase.testkit';
import { batchOf, sendBatch, startFakeQueueWorker, testRedisClient, toyDataset, until, wholeRun, type FakeQueueWorker } from './fakeQueueWorker.testkit';
import { cancelChannel, cancelKey, eventBatchField, eventConsumerGroup, eventStreamKey, queuePrefix, queueTimingsFromEnv, runQueueName } from './queueProtocol';
import { QueueRunner, type QueueRunnerOptions } from './queueRunner';
import { checkJobPayload } from './queueSchemas';
import { parseRedisAddress } from './redisAddress';
import { startTestRedis, type TestRedis } from './redisServer.testkit';

/**
 * The lab's side of the queue against a real redis-server: the tests play the worker (a BullMQ Worker
 * in this process, or batches appended by hand) and look at the rows, the history and the queue.
 */

let redis: TestRedis;
let client: Redis;
let queue: Queue;
let store: Store;
let experimentId: number;
let events: LabEvent[];
let runners: QueueRunner[];
let workers: FakeQueueWorker[];

beforeAll(async () => {
  redis = await startTestRedis();
  client = testRedisClient(redis.url);
  queue = new Queue(runQueueName, { connection: client, prefix: queuePrefix });
});
afterAll(async () => {
  await queue.close();
  client.disconnect();
  await redis.stop();
});
beforeEach(() => {
  store = openStore(':memory:');
  experimentId = store.createExperiment({ name: 'queue' }).id;
  events = [];
  runners = [];
  workers = [];
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(runners.map((r) => r.shutdown()));
  store.close();
  await client.flushall();
});

const spec = checkedRunSpec(
  { dataset: '/data/toy.csv', target: 'label', arch: 'mlp', archOptions: { widths: '4' }, optimizer: 'sgd', steps: 10, batchSize: 4 },
  { inputShape: [2], outputSize: 2 },
);

async function openRunner(options: Partial<QueueRunnerOptions> = {}): Promise<QueueRunner> {
  const runner = new QueueRunner({
    store,
    address: parseRedisAddress(redis.url),
    emit: (event) => events.push(event),
    datasetOf: () => toyDataset,
    reconcileIntervalMs: 100,
    ...options,
  });
  runners.push(runner);
  await runner.open();
  return runner;
}

function worker(...args: Parameters<typeof startFakeQueueWorker> extends [string, ...infer Rest] ? Rest : never): FakeQueueWorker {
  const started = startFakeQueueWorker(redis.url, ...args);
  workers.push(started);
  return started;
}

function jobOf(runId: number): { runId: number; jobId: string } {
  return { runId, jobId: store.queue.jobOf(runId)!.jobId! };
}

function losses(runId: number): [number, number][] {
  return (databaseOf(store).prepare('SELECT step, loss FROM step_metrics WHERE run_id = ? ORDER BY step').all(runId) as { step: number; loss: number }[]).map(
    (r) => [r.step, r.loss],
  );
}

function history(runId: number): string[] {
  return store.queue.history(runId).map((h) => h.event);
}

function statusesOf(runId: number): RunStatus[] {
  return events.flatMap((e) => (e.type === 'run-status' && e.runId === runId && e.run ? [e.run.status] : []));
}

/** Entries left in the lab's stream, and entries delivered but not acknowledged. */
async function streamLeft(labId: string): Promise<[number, number]> {
  const pending = (await client.xpending(eventStreamKey(labId), eventConsumerGroup)) as [number, ...unknown[]];
  return [await client.xlen(eventStreamKey(labId)), pending[0]];
}

describe('QueueRunner: the lab as producer', () => {
  it('queues a run as a job whose payload a worker accepts, with the retries and backoff meant for long runs', async () => {
    const runner = await openRunner();
    const run = await runner.enqueue(experimentId, spec);
    expect(run).toMatchObject({ status: 'queued', pid: process.pid, worker: null });
    const { jobId } = jobOf(run.id);
    expect(jobId).toMatch(new RegExp(`^${runner.labId}-${run.id}-[0-9a-f]{12}$`));
    const job = (await queue.getJob(jobId))!;
    expect(await job.getState()).toBe('waiting');
    const verdict = checkJobPayload(job.data);
    expect(verdict.issues).toEqual([]);
    expect(verdict.payload).toEqual({
      version: 1,
      lab: runner.labId,
      runId: run.id,
      spec,
      dataset: { hash: 'ab'.repeat(32), name: 'toy', source: '/data/toy.csv', target: 'label' },
    });
    const timings = queueTimingsFromEnv();
    expect(job.opts).toMatchObject({ attempts: timings.attempts, backoff: { type: 'exponential', delay: timings.backoffDelayMs } });
    expect(history(run.id)).toEqual([`queued as job ${jobId}`]);
    expect(runner.isActive(run.id)).toBe(true);
    expect(statusesOf(run.id)).toEqual(['queued']);
  });

  it('a worker takes the run: its batches become rows once each, even a batch sent twice; the run completes and the lab is idle', async () => {
    const runner = await openRunner();
    const run = await runner.enqueue(experimentId, spec);
    const taker = worker(async (_, send) => {
      const first = [startEvent(10), ...[0, 1, 2, 3, 4].map((s) => stepEvent(s, 10 - s))];
      await send(first);
      await send(first.slice(1)); // a worker that appended its batch again (its first XADD seemed to fail)
      await send([...[5, 6, 7, 8, 9].map((s) => stepEvent(s, 10 - s)), epochEvent(0, 10), doneEvent(10)]);
    });
    await runner.idle();
    expect(taker.taken).toEqual([jobOf(run.id).jobId]);
    expect(store.getRun(run.id)).toMatchObject({ status: 'completed', steps: 10, storedSteps: 10, totalSteps: 10, worker: 'worker-w1', backend: 'cpu' });
    expect(losses(run.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => [s, 10 - s]));
    expect(history(run.id)).toEqual([`queued as job ${jobOf(run.id).jobId}`, 'taken by worker worker-w1']);
    expect(statusesOf(run.id)).toEqual(['queued', 'running', 'completed']);
    expect(runner.isActive(run.id)).toBe(false);
    await until(async () => (await streamLeft(runner.labId)).join() === '0,0');
  });

  it('a run that moves to another worker trains again from its start: its rows replaced, the stale attempt dropped, its history saying so', async () => {
    const runner = await openRunner();
    const run = await runner.enqueue(experimentId, spec);
    const job = jobOf(run.id);
    await sendBatch(client, runner.labId, batchOf(job, 'a#1', [startEvent(10), ...[0, 1, 2, 3, 4, 5].map((s) => stepEvent(s, 10 - s))]));
    await until(() => store.getRun(run.id)!.storedSteps === 6);
    await sendBatch(client, runner.labId, batchOf(job, 'b#1', [startEvent(3), stepEvent(0, 7)]));
    // The first worker was not dead after all: what it sends now is of an attempt that lost the job.
    await sendBatch(client, runner.labId, batchOf(job, 'a#1', [stepEvent(6, 4), stepEvent(7, 3), doneEvent(8)]));
    await sendBatch(client, runner.labId, batchOf(job, 'b#1', [stepEvent(1, 6), stepEvent(2, 5), doneEvent(3)]));
    await runner.idle();
    expect(losses(run.id)).toEqual([[0, 7], [1, 6], [2, 5]]);
    expect(store.getRun(run.id)).toMatchObject({ status: 'completed', steps: 3, storedSteps: 3, totalSteps: 3, worker: 'worker-b' });
    expect(history(run.id)).toEqual([
      `queued as job ${job.jobId}`,
      'taken by worker worker-a',
      'moved to worker worker-b (attempt b#1): the earlier worker stopped answering; trained again from the start',
    ]);
  });

  it('cancel: a job no worker took is removed and its run cancelled at once; a run training is told through Redis and ends cancelled', async () => {
    const runner = await openRunner();
    const waiting = await runner.enqueue(experimentId, spec);
    const { jobId: waitingJob } = jobOf(waiting.id);
    expect(await runner.cancel(waiting.id)).toMatchObject({ status: 'cancelled', startedAt: null });
    expect(await queue.getJob(waitingJob)).toBeUndefined();
    expect(history(waiting.id)).toEqual([`queued as job ${waitingJob}`, 'cancelled before a worker took it']);
    expect(runner.isActive(waiting.id)).toBe(false);

    const subscriber = testRedisClient(redis.url);
    const messages: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => messages.push(message));
    await subscriber.subscribe(cancelChannel);
    const training = await runner.enqueue(experimentId, spec);
    const { jobId } = jobOf(training.id);
    worker(async (job, send) => {
      await send([startEvent(10), stepEvent(0, 3)]);
      await until(async () => (await client.get(cancelKey(job.id!))) !== null);
      await send([doneEvent(1, 'cancelled')]);
    });
    await until(() => store.getRun(training.id)!.storedSteps === 1);
    expect(await runner.cancel(training.id)).toMatchObject({ status: 'running' });
    await runner.idle();
    subscriber.disconnect();
    expect(store.getRun(training.id)).toMatchObject({ status: 'cancelled', storedSteps: 1 });
    expect(messages).toEqual([jobId]);
    expect(await client.ttl(cancelKey(jobId))).toBeGreaterThan(23 * 3600);
    expect(history(training.id).at(-1)).toBe('cancel sent to its worker');
  });

  it('refuses junk and batches that are not the run\'s, acknowledges them, writes nothing of them and goes on', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const runner = await openRunner();
    const run = await runner.enqueue(experimentId, spec);
    const job = jobOf(run.id);
    const key = eventStreamKey(runner.labId);
    await client.xadd(key, '*', eventBatchField, 'not json');
    await client.xadd(key, '*', eventBatchField, JSON.stringify(batchOf(job, 'a#1', [{ type: 'step', step: -1 } as never])));
    await client.xadd(key, '*', 'something', 'else');
    // Well formed, but for a job the run does not have (an earlier queueing's, another lab's): dropped quietly.
    await sendBatch(client, runner.labId, batchOf({ runId: run.id, jobId: 'not-its-job' }, 'a#1', wholeRun(7)));
    await sendBatch(client, runner.labId, batchOf(job, 'a#1', wholeRun(2)));
    await runner.idle();
    expect(store.getRun(run.id)).toMatchObject({ status: 'completed', storedSteps: 2, totalSteps: 2 });
    expect(errors).toHaveBeenCalledTimes(3);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/^curvelab: event stream entry \S+ refused and dropped: not JSON$/),
      expect.stringMatching(/refused and dropped: events\.0\.step: /),
      expect.stringMatching(/refused and dropped: no batch field$/),
    ]);
    await until(async () => (await streamLeft(runner.labId)).join() === '0,0');
  });

  it('a run whose job is gone is interrupted; one whose job failed for good fails with its reason, after its events are written', async () => {
    const runner = await openRunner({ timings: { ...queueTimingsFromEnv(), attempts: 1 } });
    const gone = await runner.enqueue(experimentId, spec);
    await queue.remove(jobOf(gone.id).jobId);
    const failing = await runner.enqueue(experimentId, spec);
    worker(async (_, send) => {
      await send([startEvent(10), stepEvent(0, 3)]);
      throw new Error('the GPU fell off');
    });
    await runner.idle();
    expect(store.getRun(gone.id)).toMatchObject({ status: 'interrupted', error: 'its job is no longer in the queue' });
    expect(store.getRun(failing.id)).toMatchObject({ status: 'failed', error: 'the GPU fell off', storedSteps: 1, steps: 1 });
    expect(history(failing.id).at(-1)).toBe('failed: the GPU fell off');
  });

  it('a study\'s runs are one flow: a parent job in the lab\'s study queue with a child per run; it completes when they have ended', async () => {
    const runner = await openRunner({ timings: { ...queueTimingsFromEnv(), attempts: 1 } });
    const rows = [0, 1, 2].map(() => store.createRun(experimentId, spec, { pid: process.pid }));
    await runner.queueResumable(rows.map((r) => ({ runId: r.id, spec })), experimentId);
    const studies = new Queue(`studies-${runner.labId}`, { connection: client, prefix: queuePrefix });
    const [parent, ...others] = await studies.getJobs(['waiting-children']);
    expect(others).toEqual([]);
    const { unprocessed } = await parent!.getDependencies();
    expect(unprocessed!.map((key) => key.split(':').at(-1)).sort()).toEqual(rows.map((r) => jobOf(r.id).jobId).sort());
    expect(parent!.data).toEqual({ study: experimentId });

    // One run fails for good: a result of the study, which neither blocks nor fails its parent.
    worker(async (job, send) => {
      if (job.data.runId === rows[1]!.id) throw new Error('out of memory');
      await send(wholeRun(2));
    });
    await runner.idle();
    expect(rows.map((r) => store.getRun(r.id)!.status)).toEqual(['completed', 'failed', 'completed']);
    await until(async () => (await parent!.getState()) === 'completed' && events.some((e) => e.type === 'studies-changed'));
    await studies.close();
  });
});
