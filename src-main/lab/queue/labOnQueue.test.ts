import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudySpec } from '../../shared/studySpec';
import type { LabEvent, WorkerInfo } from '../api/labApi';
import { LabError } from '../api/labErrors';
import { openLab, type Lab } from '../lab';
import { startEvent, stepEvent, doneEvent } from '../runner/trainEvents.testkit';
import { oneRunRequest } from '../runSpec/runRequests.testkit';
import { databaseOf } from '../store/storeDatabase.testkit';
import { batchOf, sendBatch, startFakeQueueWorker, testRedisClient, until, wholeRun, type FakeQueueWorker } from './fakeQueueWorker.testkit';
import { eventConsumerGroup, eventStreamKey, queuePrefix, runQueueName, studyQueueName, workerKey } from './queueProtocol';
import { checkJobPayload } from './queueSchemas';
import { startTestRedis, type TestRedis } from './redisServer.testkit';

/** The Lab API with `redis`: runs and studies go to the queue, their events come back through the stream. */

let redis: TestRedis;
let client: Redis;
let dir: string;
let labs: Lab[];
let workers: FakeQueueWorker[];

beforeAll(async () => {
  redis = await startTestRedis();
  client = testRedisClient(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-queue-lab-'));
  labs = [];
  workers = [];
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(labs.map((l) => l.close()));
  await client.flushall();
  rmSync(dir, { recursive: true, force: true });
});

async function openQueueLab(events: LabEvent[] = [], url = redis.url): Promise<Lab> {
  const lab = await openLab({ databasePath: join(dir, 'lab.db'), mode: 'web', backend: 'cpu', concurrency: 1, redis: url, resumeStudies: false });
  lab.subscribe((e) => events.push(e));
  labs.push(lab);
  return lab;
}

function stepRows(lab: Lab, runId: number): number[] {
  return databaseOf(lab.store).prepare('SELECT step FROM step_metrics WHERE run_id = ? ORDER BY step').pluck().all(runId) as number[];
}

const smallRun = oneRunRequest({ dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, optimizer: 'sgd', steps: 10, batchSize: 32 });

describe('a lab on a Redis queue', () => {
  it('says where its runs train, lists the live workers from their heartbeats, and keeps each run\'s history', async () => {
    const local = await openLab({ databasePath: ':memory:', mode: 'web', backend: 'cpu', concurrency: 1, dataDir: dir });
    labs.push(local);
    expect((await local.getMachine()).queue).toBeNull();
    expect(await local.listWorkers()).toEqual([]);

    const lab = await openQueueLab();
    const { labId, address } = (await lab.getMachine()).queue!;
    expect(address).toBe(redis.url);
    expect(labId).toMatch(/^[0-9a-f]{32}$/);

    const heartbeat = {
      id: 'w-1', name: 'gpu-box', host: 'gpu-box.lan', platform: 'linux', arch: 'x64', cpus: 16, memoryGb: 128,
      backend: { name: 'webgpu', reason: 'an NVIDIA adapter' }, concurrency: 2, startedAt: '2025-01-01T00:00:00.000Z',
      runs: [
        { lab: labId, runId: 7, jobId: `${labId}-7-abc`, since: '2025-01-01T00:01:00.000Z', step: 3, totalSteps: 10 },
        { lab: 'f'.repeat(32), runId: 7, jobId: 'another-labs-job', since: '2025-01-01T00:02:00.000Z', step: null, totalSteps: null },
      ],
    };
    await client.set(workerKey('w-1'), JSON.stringify(heartbeat), 'EX', 15);
    await client.set(workerKey('junk'), 'not json', 'EX', 15);
    await client.set(workerKey('half'), JSON.stringify({ id: 'half', name: 'half a heartbeat' }), 'EX', 15);
    const expected: WorkerInfo = {
      ...heartbeat,
      runs: [
        { runId: 7, since: '2025-01-01T00:01:00.000Z', step: 3, totalSteps: 10 },
        { runId: null, since: '2025-01-01T00:02:00.000Z', step: null, totalSteps: null },
      ],
    };
    expect(await lab.listWorkers()).toEqual([expected]);

    const { runs } = await lab.startRuns(smallRun);
    const jobId = lab.store.queue.jobOf(runs[0]!.id)!.jobId;
    expect((await lab.getRunHistory({ id: runs[0]!.id })).map((h) => h.event)).toEqual([`queued as job ${jobId}`]);
    await expect(lab.getRunHistory({ id: 9999 })).rejects.toThrow(LabError);
  });

  it('a password-protected Redis: the address is shown without the password; a wrong one is a clear error at open', async () => {
    const guarded = await startTestRedis({ password: 's3cret' });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const lab = await openQueueLab([], `redis://:s3cret@127.0.0.1:${guarded.port}`);
      expect((await lab.getMachine()).queue!.address).toBe(`redis://:***@127.0.0.1:${guarded.port}`);
      const refused = openLab({ databasePath: join(dir, 'other.db'), mode: 'web', backend: 'cpu', redis: `redis://:wrong@127.0.0.1:${guarded.port}` });
      await expect(refused).rejects.toThrow(new RegExp(`^Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${guarded.port}\\b.*: WRONGPASS`));
      expect(errors.mock.calls.flat().join(' ')).not.toContain('wrong');
    } finally {
      await Promise.all(labs.splice(0).map((l) => l.close()));
      await guarded.stop();
      errors.mockRestore();
    }
  });

  it('a study is one flow of child jobs whose payloads a worker accepts; resuming it queues nothing twice; workers finish it', async () => {
    const events: LabEvent[] = [];
    const lab = await openQueueLab(events);
    const spec: StudySpec = {
      dataset: 'mnist',
      architectures: [{ preset: 'linear' }],
      optimizers: [{ name: 'sgd' }, { name: 'adam' }],
      seeds: [1, 2],
      budget: { steps: 2 },
      batchSize: 32,
    };
    const study = await lab.startStudy({ spec });
    const { runs } = await lab.getStudy({ id: study.id });
    const jobIds = runs.map((r) => lab.store.queue.jobOf(r.id)!.jobId!);
    const { labId } = (await lab.getMachine()).queue!;
    const studies = new Queue(studyQueueName(labId), { connection: client, prefix: queuePrefix });
    const parents = await studies.getJobs(['waiting-children']);
    expect(parents).toHaveLength(1);
    const { unprocessed } = await parents[0]!.getDependencies();
    expect(unprocessed!.map((key) => key.split(':').at(-1)).sort()).toEqual([...jobIds].sort());
    const queue = new Queue(runQueueName, { connection: client, prefix: queuePrefix });
    const mnist = lab.datasets.find('mnist', null)!;
    for (const [k, jobId] of jobIds.entries()) {
      const { payload } = checkJobPayload((await queue.getJob(jobId))!.data);
      expect(payload).toMatchObject({ lab: labId, runId: runs[k]!.id, spec: runs[k]!.spec, dataset: { hash: mnist.contentHash, source: 'mnist' } });
    }

    // Its runs are on the queue: resuming the study is no conflict, and queues none of them again.
    await lab.resumeStudy({ id: study.id });
    expect(runs.map((r) => lab.store.queue.jobOf(r.id)!.jobId)).toEqual(jobIds);
    expect((await queue.getJobCounts('waiting')).waiting).toBe(4);

    workers.push(startFakeQueueWorker(redis.url, (_, send) => send(wholeRun(2))));
    await lab.idle();
    expect((await lab.getStudy({ id: study.id })).study).toMatchObject({ finished: true, statusCounts: { completed: 4 } });
    await until(async () => (await parents[0]!.getState()) === 'completed');
    await until(() => events.filter((e) => e.type === 'studies-changed').length >= 2); // started, then its parent completed
    await Promise.all([studies.close(), queue.close()]);
  });

  it('a lab closed mid-run leaves it training; a new lab on the database and Redis reads what came meanwhile and finishes it, every step once', async () => {
    const first = await openQueueLab();
    const { runs } = await first.startRuns(smallRun);
    const runId = runs[0]!.id;
    const job = { runId, jobId: first.store.queue.jobOf(runId)!.jobId! };
    const { labId } = (await first.getMachine()).queue!;
    await sendBatch(client, labId, batchOf(job, 'w#1', [startEvent(10), ...[0, 1, 2, 3, 4].map((s) => stepEvent(s, 1))]));
    await until(() => stepRows(first, runId).length === 5);
    await first.close();

    // While no lab reads: the worker goes on; and a batch the lab had written (steps 3 and 4) was delivered
    // to it again without its XACK, as when a lab is killed between the two.
    await sendBatch(client, labId, batchOf(job, 'w#1', [5, 6, 7].map((s) => stepEvent(s, 1))));
    await sendBatch(client, labId, batchOf(job, 'w#1', [3, 4].map((s) => stepEvent(s, 1))));
    await client.xreadgroup('GROUP', eventConsumerGroup, 'writer', 'STREAMS', eventStreamKey(labId), '>');
    expect(((await client.xpending(eventStreamKey(labId), eventConsumerGroup)) as [number])[0]).toBe(2);

    const second = await openQueueLab();
    expect(second.store.getRun(runId)!.status).toBe('running');
    await until(() => stepRows(second, runId).length === 8);
    await sendBatch(client, labId, batchOf(job, 'w#1', [stepEvent(8, 1), stepEvent(9, 1), doneEvent(10)]));
    await second.idle();
    expect(stepRows(second, runId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(second.store.getRun(runId)).toMatchObject({ status: 'completed', steps: 10, storedSteps: 10, worker: 'worker-w' });
  });
});
