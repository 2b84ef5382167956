import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../engine/data/loadDataset';
import { datasetContentHash } from '../datasets/datasetFingerprint';
import { checkRunSpec } from '../runSpec/checkRunSpec';
import { cancelChannel, cancelKey, eventStreamKey, queuePrefix, queueTimings, runQueueName, workerKey, type EventBatch, type QueueRunEvent, type RunJobPayload, type WorkerHeartbeat } from './queueProtocol';
import { parseEventBatch } from './queueSchemas';
import { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './queueWorker';
import { openRedis, parseRedisAddress } from './redisAddress';
import { startTestRedis, type TestRedis } from './redisServer.testkit';
import { WorkerDatasets } from './workerDatasets';

/** A fake training thread that dies or stalls on request (its spec's dataset names the behaviour). */
const crashingWorker = new URL('../runner/crashingWorker.testkit.mjs', import.meta.url);
/** Short enough that a lost lock or a stopped worker's job moves within a second or two. */
const quickTimings = { ...queueTimings, lockDurationMs: 1000, stalledIntervalMs: 500 };

/** A Redis of its own with a queue to add jobs to, and a client to read the streams. */
async function queueHarness(): Promise<{ server: TestRedis; redis: Redis; queue: Queue; address: ReturnType<typeof parseRedisAddress>; close(): Promise<void> }> {
  const server = await startTestRedis();
  const address = parseRedisAddress(server.url);
  const redis = openRedis(address, 'test');
  const queue = new Queue(runQueueName, { connection: openRedis(address, 'test-queue'), prefix: queuePrefix });
  return {
    server,
    redis,
    queue,
    address,
    async close() {
      await queue.close();
      redis.disconnect();
      await server.stop();
    },
  };
}

function newLabId(): string {
  return randomBytes(16).toString('hex');
}

/** The batches in a lab's stream, each checked as the lab checks it (`lenient`: the fake thread's events are sketchier). */
async function streamBatches(redis: Redis, lab: string, lenient = false): Promise<EventBatch[]> {
  const entries = await redis.xrange(eventStreamKey(lab), '-', '+');
  return entries.map(([, fields]) => {
    expect(fields[0]).toBe('batch');
    if (lenient) return JSON.parse(fields[1]!) as EventBatch;
    const parsed = parseEventBatch(fields[1]!);
    if ('error' in parsed) throw new Error(`a batch the lab would refuse: ${parsed.error}`);
    return parsed.batch;
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The job's end as BullMQ records it. */
async function jobEnd(queue: Queue, jobId: string): Promise<{ state: string; failedReason: string; returnvalue: unknown; attemptsMade: number }> {
  return waitFor(`job ${jobId} to end`, async () => {
    const state = await queue.getJobState(jobId);
    const job = await queue.getJob(jobId);
    return (state === 'completed' || state === 'failed') && job ? { state, failedReason: job.failedReason, returnvalue: job.returnvalue, attemptsMade: job.attemptsMade } : null;
  });
}

function eventsOf(batches: EventBatch[]): QueueRunEvent[] {
  return batches.flatMap((b) => b.events);
}

describe('startQueueWorker: training runs from the queue', () => {
  let h: Awaited<ReturnType<typeof queueHarness>>;
  let worker: QueueWorker;
  let mnistHash: string;
  const lines: string[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'curvelab-worker-cache-'));

  beforeAll(async () => {
    h = await queueHarness();
    mnistHash = datasetContentHash(await loadDataset('mnist', {}));
    worker = await startQueueWorker({
      redis: h.address,
      concurrency: 2,
      backend: 'cpu',
      name: 'test-worker',
      datasets: new WorkerDatasets({ paths: [], cacheDir }),
      log: (line) => lines.push(line),
    });
  });
  afterAll(async () => {
    await worker?.stopNow();
    await h?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  function tinySpec(overrides: Record<string, unknown> = {}): unknown {
    const verdict = checkRunSpec({ dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, optimizer: 'sgd', optimizerOptions: { lr: 0.1 }, steps: 20, batchSize: 32, trainSize: 256, valSize: 128, seed: 3 });
    if (verdict.spec === null) throw new Error(JSON.stringify(verdict.issues));
    return { ...verdict.spec, ...overrides };
  }

  function payload(lab: string, runId: number, overrides: { spec?: unknown; hash?: string } = {}): RunJobPayload {
    return {
      version: 1,
      lab,
      runId,
      spec: (overrides.spec ?? tinySpec()) as RunJobPayload['spec'],
      dataset: { hash: overrides.hash ?? mnistHash, name: 'MNIST (embedded)', source: 'mnist', target: null },
    };
  }

  async function add(data: unknown, jobId: string, options: JobsOptions = {}): Promise<string> {
    await h.queue.add('run', data, { jobId, attempts: 3, ...options });
    return jobId;
  }

  it('trains a job and streams start, every step once and in order, the epochs and done, in batches the lab accepts', async () => {
    const lab = newLabId();
    const jobId = await add(payload(lab, 7), `${lab}-7-a`);
    const end = await jobEnd(h.queue, jobId);
    expect(end).toMatchObject({ state: 'completed', returnvalue: { status: 'completed' } });

    const batches = await streamBatches(h.redis, lab);
    for (const batch of batches) {
      expect(batch).toMatchObject({ runId: 7, jobId, worker: { id: worker.id, name: 'test-worker' } });
      expect(batch.attempt).toBe(batches[0]!.attempt);
    }
    expect(batches[0]!.attempt).toMatch(new RegExp(`^${worker.id}#\\d+$`));
    const events = eventsOf(batches);
    expect(events[0]).toMatchObject({ type: 'start', totalSteps: 20, stepsPerEpoch: 8 });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed', steps: 20 });
    expect(events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : -1))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // 20 steps of 8 per epoch: two full epochs and the partial third.
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.steps : -1))).toEqual([8, 16, 20]);
    // start, each epoch and done are sent at once, so they end their batches.
    for (const batch of batches) expect(batch.events.slice(0, -1).every((e) => e.type === 'step')).toBe(true);
    expect(lines).toContain(`run 7 of lab ${lab.slice(0, 8)}…: started`);
    expect(lines.some((l) => new RegExp(`^run 7 of lab ${lab.slice(0, 8)}…: completed in \\d+\\.\\d s$`).test(l))).toBe(true);
  });

  it.each([
    ['a payload that is not an object', () => 'train me', /^the worker refused the job: .*expected object/],
    ['a spec whose lr is not a number', (lab: string) => payload(lab, 3, { spec: tinySpec({ optimizerOptions: { lr: 'fast' } }) }), /spec\.optimizerOptions\.lr/],
    ['a spec with batch size 0', (lab: string) => payload(lab, 3, { spec: tinySpec({ batchSize: 0 }) }), /spec\.batchSize/],
    ['a dataset hash no copy has', (lab: string) => payload(lab, 3, { hash: 'f'.repeat(64) }), new RegExp(`content hash ${'f'.repeat(64)}.*--dataset PATH`)],
  ])('refuses %s: the job fails for good with the reason, the lab is told, nothing runs', async (_what, data, reason) => {
    const lab = newLabId();
    const jobId = await add(data(lab), `${lab}-3-a`);
    const end = await jobEnd(h.queue, jobId);
    expect(end.state).toBe('failed');
    expect(end.failedReason).toMatch(reason);
    expect(end.attemptsMade).toBe(1); // not tried again although the job allows 3 attempts
    const events = eventsOf(await streamBatches(h.redis, lab));
    if (typeof data(lab) === 'object') {
      expect(events).toEqual([{ type: 'ending', status: 'failed', error: end.failedReason }]);
      expect(lines).toContain(`run 3 of lab ${lab.slice(0, 8)}…: refused: ${end.failedReason.replace('the worker refused the job: ', '')}`);
    } else {
      expect(events).toEqual([]);
    }
    expect(lines.some((l) => l.includes(lab.slice(0, 8)) && l.endsWith('started'))).toBe(false);
  });

  it("ends a run the engine refuses (more training examples than the dataset has) failed, without trying again", async () => {
    const lab = newLabId();
    const jobId = await add(payload(lab, 4, { spec: tinySpec({ trainSize: 9000 }) }), `${lab}-4-a`);
    const end = await jobEnd(h.queue, jobId);
    expect(end.state).toBe('failed');
    expect(end.attemptsMade).toBe(1);
    // The embedded MNIST trains on 8,000 digits.
    expect(end.failedReason).toBe('expected at most 8000 (the size of the training split)');
    const events = eventsOf(await streamBatches(h.redis, lab));
    expect(events).toEqual([{ type: 'ending', status: 'failed', error: end.failedReason }]);
  });

  it('cancels a run that trains when the lab publishes its job id, and shows its runs in the heartbeat meanwhile', async () => {
    const lab = newLabId();
    const jobId = await add(payload(lab, 5, { spec: tinySpec({ steps: 20_000 }) }), `${lab}-5-a`);
    await waitFor('the first steps', async () => eventsOf(await streamBatches(h.redis, lab)).some((e) => e.type === 'step'));
    const heartbeat = await waitFor('the heartbeat with the run', async () => {
      const beat = JSON.parse((await h.redis.get(workerKey(worker.id))) ?? 'null') as WorkerHeartbeat | null;
      return beat?.runs.some((r) => r.jobId === jobId && r.totalSteps === 20_000) ? beat : null;
    });
    expect(heartbeat).toMatchObject({ id: worker.id, name: 'test-worker', backend: { name: 'cpu' }, concurrency: 2 });
    expect(heartbeat.runs.find((r) => r.jobId === jobId)).toMatchObject({ lab, runId: 5, jobId });
    expect(await h.redis.ttl(workerKey(worker.id))).toBeGreaterThan(0);

    await h.redis.publish(cancelChannel, jobId);
    const end = await jobEnd(h.queue, jobId);
    expect(end).toMatchObject({ state: 'completed', returnvalue: { status: 'cancelled' } });
    const done = eventsOf(await streamBatches(h.redis, lab)).at(-1);
    expect(done).toMatchObject({ type: 'done', status: 'cancelled' });
    expect(done?.type === 'done' && done.steps).toBeLessThan(20_000);
  });

  it('cancels a training run whose cancel key is set even when the pub/sub message was missed (looked at with the heartbeat)', async () => {
    const lab = newLabId();
    const jobId = await add(payload(lab, 7, { spec: tinySpec({ steps: 20_000 }) }), `${lab}-7-a`);
    await waitFor('the first steps', async () => eventsOf(await streamBatches(h.redis, lab)).some((e) => e.type === 'step'));
    await h.redis.set(cancelKey(jobId), '1', 'EX', 60); // no publish
    const end = await jobEnd(h.queue, jobId);
    expect(end).toMatchObject({ state: 'completed', returnvalue: { status: 'cancelled' } });
    expect(eventsOf(await streamBatches(h.redis, lab)).at(-1)).toMatchObject({ type: 'done', status: 'cancelled' });
  });

  it('cancels a job at its start when the lab had cancelled it before any worker took it', async () => {
    const lab = newLabId();
    const jobId = `${lab}-6-a`;
    await h.redis.set(cancelKey(jobId), '1', 'EX', 60);
    await add(payload(lab, 6), jobId);
    const end = await jobEnd(h.queue, jobId);
    expect(end).toMatchObject({ state: 'completed', returnvalue: { status: 'cancelled' } });
    const events = eventsOf(await streamBatches(h.redis, lab));
    expect(events.filter((e) => e.type === 'step')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'cancelled', steps: 0 });
  });
});

describe('startQueueWorker: faults', () => {
  let h: Awaited<ReturnType<typeof queueHarness>>;
  const open: QueueWorker[] = [];
  beforeAll(async () => {
    h = await queueHarness();
  });
  afterAll(async () => {
    await Promise.all(open.map((w) => w.stopNow()));
    await h?.close();
  });

  /** A worker whose training threads are the fake one, and whose datasets are the fake behaviours' names. */
  async function fakeWorker(lines: string[], options: Partial<QueueWorkerOptions> = {}): Promise<QueueWorker> {
    const worker = await startQueueWorker({
      redis: h.address,
      concurrency: 1,
      backend: 'cpu',
      datasets: { resolve: async (dataset) => dataset.source },
      timings: quickTimings,
      workerUrl: crashingWorker,
      log: (line) => lines.push(line),
      ...options,
    });
    open.push(worker);
    return worker;
  }

  const spec = checkRunSpec({ dataset: 'mnist', arch: 'mlp', optimizer: 'sgd', steps: 10, seed: 0 }).spec;
  function fakePayload(lab: string, runId: number, behaviour: string): RunJobPayload {
    return { version: 1, lab, runId, spec: spec!, dataset: { hash: '0'.repeat(64), name: behaviour, source: `testkit:${behaviour}`, target: null } };
  }

  /** Queues a run that trains until cancelled, and waits until it has taken a step. */
  async function slowRunTraining(lab: string, runId: number): Promise<string> {
    const jobId = `${lab}-${runId}-a`;
    await h.queue.add('run', fakePayload(lab, runId, 'slow'), { jobId, attempts: 1 });
    await waitFor('a step', async () => eventsOf(await streamBatches(h.redis, lab, true)).some((e) => e.type === 'step'));
    return jobId;
  }

  it("retries a run whose training thread died, and tells the lab it failed only when the job's last attempt fails", async () => {
    const lines: string[] = [];
    const worker = await fakeWorker(lines);
    const lab = newLabId();
    const jobId = `${lab}-1-a`;
    await h.queue.add('run', fakePayload(lab, 1, 'exit'), { jobId, attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    const end = await jobEnd(h.queue, jobId);
    expect(end).toMatchObject({ state: 'failed', attemptsMade: 2, failedReason: 'the training worker exited with code 3 before the run finished' });
    const batches = await streamBatches(h.redis, lab, true);
    const attempts = [...new Set(batches.map((b) => b.attempt))];
    expect(attempts).toEqual([`${worker.id}#1`, `${worker.id}#2`]);
    const byAttempt = attempts.map((a) => eventsOf(batches.filter((b) => b.attempt === a)).map((e) => e.type));
    expect(byAttempt[0]).toEqual(['start', 'step', 'step', 'step']);
    expect(byAttempt[1]).toEqual(['start', 'step', 'step', 'step', 'ending']);
    expect(eventsOf(batches).at(-1)).toEqual({ type: 'ending', status: 'failed', error: end.failedReason });
    expect(lines).toContain(`run 1 of lab ${lab.slice(0, 8)}…: failed (BullMQ will try it again): ${end.failedReason}`);
    expect(lines).toContain(`run 1 of lab ${lab.slice(0, 8)}…: failed: ${end.failedReason}`);
    await worker.close();
  });

  it("completes the job of a run that diverged: the run's own ending is in its done event", async () => {
    const worker = await fakeWorker([]);
    const lab = newLabId();
    await h.queue.add('run', fakePayload(lab, 2, 'diverge'), { jobId: `${lab}-2-a`, attempts: 3 });
    expect(await jobEnd(h.queue, `${lab}-2-a`)).toMatchObject({ state: 'completed', returnvalue: { status: 'diverged' } });
    const batches = await streamBatches(h.redis, lab, true);
    expect(new Set(batches.map((b) => b.attempt)).size).toBe(1);
    expect(eventsOf(batches).at(-1)).toMatchObject({ type: 'done', status: 'diverged', reason: 'the batch loss at step 2 is NaN' });
    await worker.close();
  });

  it('close() lets the run in training finish and takes no new job; the heartbeat goes with it', async () => {
    const lines: string[] = [];
    const worker = await fakeWorker(lines);
    const lab = newLabId();
    await slowRunTraining(lab, 3);
    let closed = false;
    const closing = worker.close().then(() => (closed = true));
    await h.queue.add('run', fakePayload(lab, 4, 'complete'), { jobId: `${lab}-4-a` });
    await sleep(300);
    expect(closed).toBe(false);
    expect(worker.runningCount).toBe(1);
    await h.redis.publish(cancelChannel, `${lab}-3-a`);
    await closing;
    expect(await (await h.queue.getJob(`${lab}-3-a`))!.getState()).toBe('completed');
    expect(await (await h.queue.getJob(`${lab}-4-a`))!.getState()).toBe('waiting');
    expect(await h.redis.exists(workerKey(worker.id))).toBe(0);
    await h.queue.remove(`${lab}-4-a`);
  });

  it("stopNow() drops the runs' events and leaves their jobs to stall, so another worker trains them", async () => {
    const firstLines: string[] = [];
    const first = await fakeWorker(firstLines);
    const lab = newLabId();
    const jobId = await slowRunTraining(lab, 5);
    await first.stopNow();
    expect(await h.redis.exists(workerKey(first.id))).toBe(0);
    expect(firstLines).toContain(`run 5 of lab ${lab.slice(0, 8)}…: stopped with the worker; the job moves to another worker`);
    const firstEvents = eventsOf(await streamBatches(h.redis, lab, true));
    expect(firstEvents.some((e) => e.type === 'done' || e.type === 'ending')).toBe(false);
    expect(await (await h.queue.getJob(jobId))!.getState()).toBe('active');

    const second = await fakeWorker([]);
    await waitFor('the second worker to take the job', async () => (await streamBatches(h.redis, lab, true)).some((b) => b.worker.id === second.id));
    await h.redis.publish(cancelChannel, jobId);
    expect(await jobEnd(h.queue, jobId)).toMatchObject({ state: 'completed', returnvalue: { status: 'cancelled' } });
    const batches = await streamBatches(h.redis, lab, true);
    expect(batches.filter((b) => b.worker.id === first.id).length).toBeGreaterThan(0);
    expect(eventsOf(batches.filter((b) => b.worker.id === second.id))[0]).toMatchObject({ type: 'start' });
    await second.close();
  });

  it('stops reporting a run whose job lock was lost; the job is trained again', async () => {
    const lines: string[] = [];
    const worker = await fakeWorker(lines);
    const lab = newLabId();
    const jobId = await slowRunTraining(lab, 6);
    // The key is read only when a job is taken: the next attempt (here by the same worker) is cancelled as it starts.
    await h.redis.set(cancelKey(jobId), '1', 'EX', 60);
    await h.redis.del(`${queuePrefix}:${runQueueName}:${jobId}:lock`);
    await waitFor('the lost lock', async () => lines.some((l) => l.endsWith('its lock was lost; BullMQ gives the job to another worker')));
    await waitFor('the job to end', async () => ['completed', 'failed'].includes(await (await h.queue.getJob(jobId))!.getState()));
    const batches = await streamBatches(h.redis, lab, true);
    const attempts = [...new Set(batches.map((b) => b.attempt))];
    expect(attempts).toHaveLength(2);
    expect(eventsOf(batches.filter((b) => b.attempt === attempts[0])).some((e) => e.type === 'done')).toBe(false);
    expect(eventsOf(batches.filter((b) => b.attempt === attempts[1])).at(-1)).toMatchObject({ type: 'done', status: 'cancelled' });
    await worker.close();
  });
});
