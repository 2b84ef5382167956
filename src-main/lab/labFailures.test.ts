import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentInfo, RunInfo, RunsStarted } from './api/labApi';
import { until } from './queue/fakeQueueWorker.testkit';
import type { RunExecutor } from './runner/runExecutor';
import { oneRunRequest } from './runSpec/runRequests.testkit';
import { sampleSpec } from './store/runFixtures.testkit';
import { databaseOf, fillDisk, freeDisk, sessionOfProcess } from './store/storeDatabase.testkit';
import { openTestLab, type TestLab } from './testLab.testkit';

/** The Lab API when the ground gives way: a full disk, runs that cannot be queued, a lab process that died. */

let t: TestLab;
beforeAll(async () => {
  t = await openTestLab('curvelab-lab-failures-');
});
afterAll(() => t.close());

const longRun = oneRunRequest({ dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, batchSize: 32, steps: 100_000, optimizer: 'sgd' });

describe('the lab on a full disk', () => {
  it("answers a write with 'disk-full' naming the database, and stops the runs it records: they end failed, saying why", async () => {
    const { runs } = await t.value<RunsStarted>('startRuns', longRun);
    const runId = runs[0]!.id;
    await until(async () => (await t.value<RunInfo>('getRun', { id: runId })).storedSteps > 0, 60_000);
    fillDisk(t.lab.store);
    try {
      const refused = await t.call('createExperiment', { name: 'on a full disk', notes: 'n'.repeat(5000) });
      const database = join(t.dir, 'lab.db');
      expect(refused).toEqual({
        ok: false,
        error: { code: 'disk-full', message: `${database}: the disk is full: nothing more can be written until space is freed (SQLITE_FULL)` },
      });
      await t.lab.idle();
      const stopped = await t.value<RunInfo>('getRun', { id: runId });
      expect(stopped.status).toBe('failed');
      expect(stopped.error).toBe(`recording the run failed: ${database}: the disk is full: nothing more can be written until space is freed (SQLITE_FULL)`);
      expect(t.events).toContainEqual({ type: 'run-status', runId, run: expect.objectContaining({ status: 'failed' }) });
    } finally {
      freeDisk(t.lab.store);
    }
  });
});

describe('a runs request that cannot be queued', () => {
  it('leaves nothing behind: not the experiment made for it', async () => {
    const experiments = (await t.value<ExperimentInfo[]>('listExperiments')).length;
    const runs = (await t.value<RunInfo[]>('listRuns', {})).length;
    const executor = t.lab['runs'] as RunExecutor;
    const enqueue = executor.enqueue;
    executor.enqueue = () => {
      throw new Error('the queue refused the run');
    };
    try {
      const refused = await t.call('startRuns', { ...longRun, experimentName: 'never queued' });
      expect(refused).toMatchObject({ ok: false, error: { message: 'the queue refused the run' } });
    } finally {
      executor.enqueue = enqueue;
    }
    expect((await t.value<ExperimentInfo[]>('listExperiments')).length).toBe(experiments);
    expect((await t.value<RunInfo[]>('listRuns', {})).length).toBe(runs);
  });
});

describe('runs a dead lab process left', () => {
  it('end interrupted with the next heartbeat, and the lab says so', async () => {
    const store = t.lab.store;
    const experiment = store.createExperiment({ name: 'left by a lab that died' });
    const runId = store.createRun(experiment.id, sampleSpec, { pid: process.pid }).id;
    store.markRunStarted(runId, { backend: 'cpu' });
    // It was this pid's too: the lab before this one in the same container.
    databaseOf(store).prepare('UPDATE runs SET session = ? WHERE id = ?').run(sessionOfProcess(store, process.pid), runId);
    expect((await t.value<RunInfo>('getRun', { id: runId })).status).toBe('running');
    store['keepAlive'](); // what the heartbeat timer does every few seconds
    const interrupted = await t.value<RunInfo>('getRun', { id: runId });
    expect(interrupted).toMatchObject({ status: 'interrupted', error: 'the process training this run ended without finishing it' });
    expect(t.events).toContainEqual({ type: 'run-status', runId, run: interrupted });
    // Nothing trains it here: cancelling answers with it as it is.
    expect(await t.value<RunInfo>('cancelRun', { id: runId })).toEqual(interrupted);
  });
});
