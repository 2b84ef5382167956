import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabEvent, RunInfo, RunSpecInput, RunsRequest, RunStatus } from '../api/labApi';
import { acceptedRuns, normalizeRuns, requestStructure, type CheckedRunSpec } from '../runSpec/normalizeRuns';
import { checkedRunSpec, mnistShapes } from '../runSpec/runRequests.testkit';
import { RunSpecError } from '../runSpec/runSpecError';
import type { RunSpec } from '../../shared/runSpec';
import { openStore, type Store } from '../store';
import { databaseOf, fillDisk, freeDisk } from '../store/storeDatabase.testkit';
import { RunManager, type RunManagerOptions } from './runManager';

/**
 * The run manager with real training workers (trainWorker.ts through its tsx bootstrap, TF.js's plain
 * CPU backend, the embedded MNIST and a 16-unit MLP for a handful of steps) and with a fake worker
 * (crashingWorker.testkit.mjs) that dies in each way a real one can.
 */

const crashingWorker = new URL('./crashingWorker.testkit.mjs', import.meta.url);

/** Runs are checked as the lab checks them, with MNIST's shapes (the fake worker's datasets pretend to have them too). */
function mnistSpec(overrides: Partial<RunSpecInput> = {}): CheckedRunSpec {
  return checkedRunSpec({ dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, optimizer: 'curveball', steps: 10, batchSize: 32, ...overrides });
}

function fakeSpec(behaviour: string): CheckedRunSpec {
  return checkedRunSpec({ dataset: `testkit:${behaviour}`, arch: 'mlp', optimizer: 'sgd', steps: 10 });
}

function sweep(request: RunsRequest): CheckedRunSpec[] {
  return acceptedRuns(normalizeRuns(requestStructure(request), mnistShapes));
}

let store: Store;
let experimentId: number;
let managers: RunManager[];

beforeEach(() => {
  store = openStore(':memory:');
  experimentId = store.createExperiment({ name: 'runner tests' }).id;
  managers = [];
});

afterEach(async () => {
  await Promise.all(managers.map((m) => m.shutdown(2000)));
  store.close();
});

/** A manager on the test's store, with its events collected (and passed to `onEvent` as they come). */
function harness(options: Partial<RunManagerOptions> & { onEvent?: (event: LabEvent, manager: RunManager) => void } = {}) {
  const events: LabEvent[] = [];
  const { onEvent, ...rest } = options;
  const manager: RunManager = new RunManager({
    store,
    concurrency: 1,
    backend: 'cpu',
    emit: (event) => {
      events.push(event);
      onEvent?.(event, manager);
    },
    ...rest,
  });
  managers.push(manager);
  return { manager, events };
}

function run(id: number): RunInfo {
  return store.getRun(id)!;
}

function statusesOf(events: LabEvent[], runId: number): RunStatus[] {
  return events.flatMap((e) => (e.type === 'run-status' && e.runId === runId && e.run ? [e.run.status] : []));
}

function firstStepLoss(runId: number): number {
  return (databaseOf(store).prepare('SELECT loss FROM step_metrics WHERE run_id = ? AND step = 0').get(runId) as { loss: number }).loss;
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RunManager with training workers', () => {
  it('trains a run in a worker and records its steps, CurveBall traces and epochs; events come in order', async () => {
    const { manager, events } = harness();
    const queued = manager.enqueue(experimentId, mnistSpec({ steps: 12 }));
    expect(queued.status).toBe('queued');
    expect(manager.isActive(queued.id)).toBe(true);
    await manager.idle();
    expect(manager.isActive(queued.id)).toBe(false);

    const done = run(queued.id);
    expect(done).toMatchObject({ status: 'completed', steps: 12, storedSteps: 12, totalSteps: 12, backend: 'cpu', pid: process.pid, error: null });
    // 8,000 training images of the embedded MNIST in batches of 32.
    expect(done.stepsPerEpoch).toBe(250);
    expect(done.startedAt! <= done.endedAt!).toBe(true);

    const losses = store.readCurve(queued.id, { series: 'loss', maxPoints: 100 });
    expect(losses.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(losses.every((p) => Number.isFinite(p.value))).toBe(true);
    expect(store.traceNames(queued.id)).toEqual(expect.arrayContaining(['rho', 'beta', 'lambda']));
    const epochs = store.readEpochMetrics(queued.id);
    expect(epochs).toHaveLength(1); // a step-bounded run ends with its partial epoch
    expect(epochs[0]).toMatchObject({ epoch: 0, steps: 12 });
    expect(Number.isFinite(epochs[0].valLoss)).toBe(true);

    expect(statusesOf(events, queued.id)).toEqual(['queued', 'running', 'completed']);
    const kinds = events.map((e) => e.type);
    // Every progress event lies between running and completed, the epoch after the last progress.
    const runningAt = events.findIndex((e) => e.type === 'run-status' && e.run?.status === 'running');
    const completedAt = events.findIndex((e) => e.type === 'run-status' && e.run?.status === 'completed');
    const progress = events.filter((e): e is Extract<LabEvent, { type: 'run-progress' }> => e.type === 'run-progress');
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(kinds.indexOf('run-progress')).toBeGreaterThan(runningAt);
    expect(kinds.lastIndexOf('run-epoch')).toBeLessThan(completedAt);
    expect(progress.at(-1)).toMatchObject({ runId: queued.id, step: 11, totalSteps: 12, epoch: 0 });
    const steps = progress.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(Object.keys(progress[0].trace)).toEqual(expect.arrayContaining(['rho', 'beta', 'lambda']));
    const epochEvents = events.filter((e) => e.type === 'run-epoch');
    expect(epochEvents).toEqual([{ type: 'run-epoch', runId: queued.id, epoch: epochs[0] }]);
  });

  it('a run whose worker throws (a dataset that does not exist) fails with the message; the next run still completes', async () => {
    const { manager, events } = harness();
    const missing = manager.enqueue(experimentId, mnistSpec({ dataset: '/nonexistent/curvelab-runner-test.csv' }));
    const next = manager.enqueue(experimentId, mnistSpec({ steps: 3 }));
    await manager.idle();
    expect(run(missing.id)).toMatchObject({ status: 'failed', startedAt: null, storedSteps: 0 });
    expect(run(missing.id).error).toContain('/nonexistent/curvelab-runner-test.csv');
    expect(statusesOf(events, missing.id)).toEqual(['queued', 'failed']);
    expect(run(next.id)).toMatchObject({ status: 'completed', storedSteps: 3 });
  });

  it('concurrency 1: runs one after another; cancelling a queued run skips it, a running one stops with its rows', async () => {
    let second = 0;
    const { manager } = harness({
      onEvent: (event, m) => {
        if (event.type === 'run-progress' && event.runId === second) m.cancel(second);
      },
    });
    const first = manager.enqueue(experimentId, mnistSpec({ steps: 6, optimizer: 'sgd' }));
    second = manager.enqueue(experimentId, mnistSpec({ steps: 5000, optimizer: 'sgd' })).id;
    const third = manager.enqueue(experimentId, mnistSpec({ steps: 6, optimizer: 'sgd' }));
    const skipped = manager.enqueue(experimentId, mnistSpec({ steps: 6, optimizer: 'sgd' }));
    expect(manager.cancel(skipped.id)?.status).toBe('cancelled');
    expect(manager.isActive(skipped.id)).toBe(false);
    await manager.idle();

    const [a, b, c, d] = [first.id, second, third.id, skipped.id].map(run);
    expect([a.status, b.status, c.status, d.status]).toEqual(['completed', 'cancelled', 'completed', 'cancelled']);
    expect(d).toMatchObject({ startedAt: null, storedSteps: 0, backend: null });
    expect(b.storedSteps).toBeGreaterThan(0);
    expect(b.storedSteps).toBeLessThan(5000);
    expect(b.steps).toBe(b.storedSteps);
    // One after another: each starts after the one before it ended.
    expect(a.endedAt! <= b.startedAt!).toBe(true);
    expect(b.endedAt! <= c.startedAt!).toBe(true);
    // Finished and unknown runs: cancel changes nothing.
    expect(manager.cancel(a.id)).toEqual(a);
    expect(manager.cancel(9999)).toBeUndefined();
  });

  it('a sweep of 2 optimizers × 2 seeds makes 4 paired runs: same seed, same first-step loss', async () => {
    const specs = sweep({
      experimentName: 'sweep',
      base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, steps: 2, batchSize: 32 },
      optimizers: [{ name: 'curveball' }, { name: 'adam', options: { lr: 0.01 } }],
      seeds: [1, 2],
    });
    const { manager } = harness({ concurrency: 2 });
    const runs = specs.map((spec) => manager.enqueue(experimentId, spec));
    expect(runs.map((r) => [r.optimizer, r.spec.seed])).toEqual([
      ['curveball', 1],
      ['curveball', 2],
      ['adam', 1],
      ['adam', 2],
    ]);
    await manager.idle();
    expect(runs.map((r) => run(r.id).status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const [cb1, cb2, adam1, adam2] = runs.map((r) => firstStepLoss(r.id));
    // The first loss is taken before any update: it depends on the initial weights and batch alone.
    expect(cb1).toBe(adam1);
    expect(cb2).toBe(adam2);
    expect(cb1).not.toBe(cb2);
  });

  it('shutdown with runs going cancels them, marks the queued one cancelled and leaves no worker alive', async () => {
    const { manager } = harness({ concurrency: 2 });
    const going = [0, 1].map(() => manager.enqueue(experimentId, mnistSpec({ steps: 5000, optimizer: 'sgd' })));
    const waiting = manager.enqueue(experimentId, mnistSpec({ steps: 5000, optimizer: 'sgd' }));
    await until(() => going.every((r) => run(r.id).status === 'running'));
    expect(manager.workerCount).toBe(2);
    await manager.shutdown();
    expect(manager.workerCount).toBe(0);
    expect(going.map((r) => run(r.id).status)).toEqual(['cancelled', 'cancelled']);
    expect(run(waiting.id)).toMatchObject({ status: 'cancelled', startedAt: null });
    expect(store.listRuns().filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);
    expect(() => manager.enqueue(experimentId, mnistSpec())).toThrow(/shut down/);
  });
});

describe('RunManager with resumable runs (a study\'s)', () => {
  it('shutdown leaves them interrupted, training or queued, to be trained again; one its user cancelled stays cancelled', async () => {
    const { manager } = harness({ concurrency: 2 });
    const spec = mnistSpec({ steps: 5000, optimizer: 'sgd' });
    const rows = [0, 1, 2, 3].map(() => store.createRun(experimentId, spec, { pid: process.pid }));
    const queued = manager.queueResumable(rows.map((r) => ({ runId: r.id, spec })));
    expect(queued.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    const [training, cancelledTraining, waiting, cancelledWaiting] = rows.map((r) => r.id) as [number, number, number, number];
    await until(() => run(training).status === 'running' && run(cancelledTraining).status === 'running' && run(training).storedSteps > 0);
    manager.cancel(cancelledWaiting);
    manager.cancel(cancelledTraining);
    await manager.shutdown();
    expect(manager.workerCount).toBe(0);
    expect(run(training)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/resumes its study/) });
    expect(run(training).storedSteps).toBeGreaterThan(0);
    expect(run(waiting)).toMatchObject({ status: 'interrupted', startedAt: null, error: expect.stringMatching(/resumes its study/) });
    expect(run(cancelledTraining).status).toBe('cancelled');
    expect(run(cancelledWaiting)).toMatchObject({ status: 'cancelled', startedAt: null });
  });
});

describe('RunManager with workers that misbehave', () => {
  it('each way a worker can die fails its run with a reason, and the queue goes on', async () => {
    const { manager, events } = harness({ workerUrl: crashingWorker, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const ids = ['exit', 'throw', 'oom', 'diverge', 'complete'].map((b) => manager.enqueue(experimentId, fakeSpec(b)).id);
    await manager.idle();
    const [exited, threw, oom, diverged, completed] = ids.map(run);
    expect(exited).toMatchObject({ status: 'failed', error: 'the training worker exited with code 3 before the run finished', storedSteps: 3, steps: 3 });
    expect(threw).toMatchObject({ status: 'failed', error: 'the training worker crashed: testkit: thrown inside the worker', storedSteps: 2 });
    expect(oom.status).toBe('failed');
    expect(oom.error).toMatch(/^the training worker ran out of memory/);
    expect(diverged).toMatchObject({ status: 'diverged', error: 'the batch loss at step 2 is NaN', steps: 2 });
    expect(completed).toMatchObject({ status: 'completed', storedSteps: 3, error: null });
    for (const id of ids) expect(statusesOf(events, id).slice(0, 2)).toEqual(['queued', 'running']);
  });

  it('shutdown terminates a worker that ignores the cancel message: the run is interrupted, not left running', async () => {
    const { manager } = harness({ workerUrl: crashingWorker });
    const stubborn = manager.enqueue(experimentId, fakeSpec('ignore-cancel'));
    await until(() => run(stubborn.id).status === 'running');
    await manager.shutdown(300);
    expect(manager.workerCount).toBe(0);
    expect(run(stubborn.id)).toMatchObject({
      status: 'interrupted',
      error: 'the lab shut down and stopped the training worker before the run finished',
    });
  });

  it('a run deleted while it trains: the worker is stopped, its events dropped quietly, the next run starts', async () => {
    const errors = vi.spyOn(console, 'error');
    const doomed = store.createExperiment({ name: 'deleted meanwhile' }).id;
    let deleted = false;
    const { manager, events } = harness({
      workerUrl: crashingWorker,
      onEvent: (event) => {
        if (event.type === 'run-progress' && !deleted) {
          deleted = true;
          store.deleteExperiment(doomed);
        }
      },
    });
    const slow = manager.enqueue(doomed, fakeSpec('slow'));
    const next = manager.enqueue(experimentId, fakeSpec('complete'));
    await manager.idle();
    expect(deleted).toBe(true);
    expect(store.getRun(slow.id)).toBeUndefined();
    expect(databaseOf(store).prepare('SELECT COUNT(*) AS n FROM step_metrics WHERE run_id = ?').get(slow.id)).toEqual({ n: 0 });
    expect(run(next.id).status).toBe('completed');
    const afterDelete = events.slice(events.findIndex((e) => e.type === 'run-progress') + 1);
    expect(afterDelete.filter((e) => 'runId' in e && e.runId === slow.id)).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});

describe('RunManager and runs that go away while their worker still talks', () => {
  it('a forgotten, deleted run: its worker stopping later never writes into a run that got its id, and that run can be cancelled', async () => {
    const errors = vi.spyOn(console, 'error');
    const { manager } = harness({ workerUrl: crashingWorker, concurrency: 2 });
    const doomed = store.createExperiment({ name: 'deleted while it trains' }).id;
    const old = manager.enqueue(doomed, fakeSpec('linger'));
    await until(() => run(old.id).status === 'running' && run(old.id).storedSteps > 2);
    manager.forget(old.id);
    expect(manager.isActive(old.id)).toBe(false);
    store.deleteExperiment(doomed);
    // A writer that gives ids again (a database from before migration 007 did): a new run under the old id.
    databaseOf(store)
      .prepare("INSERT INTO runs (id, uid, experiment_id, spec, optimizer, created_at) VALUES (?, 'new run, old id', ?, '{}', 'sgd', '2026-01-01T00:00:00Z')")
      .run(old.id, experimentId);
    manager.queueResumable([{ runId: old.id, spec: fakeSpec('slow') }]);
    await until(() => run(old.id).status === 'running' && run(old.id).storedSteps > 2);
    expect(manager.cancel(old.id)?.status).toBe('running');
    await manager.idle();

    const reused = run(old.id);
    expect(reused).toMatchObject({ uid: 'new run, old id', status: 'cancelled', backend: 'testkit', error: null });
    expect(store.traceNames(old.id)).toEqual(['lr']); // none of the lingering worker's steps
    expect(reused.storedSteps).toBe(reused.steps);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('forgetting a queued run takes it off the queue without a write', async () => {
    const { manager, events } = harness({ workerUrl: crashingWorker });
    const first = manager.enqueue(experimentId, fakeSpec('slow'));
    const waiting = manager.enqueue(experimentId, fakeSpec('complete'));
    manager.forget(waiting.id);
    expect(manager.isActive(waiting.id)).toBe(false);
    manager.cancel(first.id);
    await manager.idle();
    expect(run(waiting.id)).toMatchObject({ status: 'queued', startedAt: null, storedSteps: 0 });
    expect(statusesOf(events, waiting.id)).toEqual(['queued']);
  });
});

describe('RunManager on a full disk', () => {
  it('stops every run it trains: each ends failed with the disk as its reason, none is left running, and the next queued run still gets its turn', async () => {
    const { manager } = harness({ workerUrl: crashingWorker, concurrency: 2 });
    const training = [0, 1].map(() => manager.enqueue(experimentId, fakeSpec('slow')).id);
    await until(() => training.every((id) => run(id).status === 'running' && run(id).storedSteps > 0));
    fillDisk(store);
    await until(() => training.every((id) => run(id).status !== 'running'));
    for (const id of training) {
      expect(run(id).status).toBe('failed');
      expect(run(id).error).toMatch(/^recording the run failed: :memory:: the disk is full: nothing more can be written until space is freed \(SQLITE_FULL\)$/);
    }
    freeDisk(store);
    const next = manager.enqueue(experimentId, fakeSpec('complete'));
    await manager.idle();
    expect(run(next.id)).toMatchObject({ status: 'completed', storedSteps: 3 });
  });
});

describe('RunManager takes runs checked', () => {
  it('accepts only a CheckedRunSpec, and queues it as it is: no second check', async () => {
    const { manager } = harness({ workerUrl: crashingWorker });
    const plain: RunSpec = { ...fakeSpec('complete') };
    // @ts-expect-error a plain RunSpec is not a CheckedRunSpec: only normalizeRuns makes those
    const refusedByTheCompiler = (): RunInfo => manager.enqueue(experimentId, plain);
    expect(refusedByTheCompiler).toBeTypeOf('function');

    // A spec normalizeRuns refuses (sgd with a negative lr), branded by hand: the manager writes its row and
    // starts it, since checking is the lab's job (the fake worker ignores the options and completes).
    const input = { dataset: 'testkit:complete', arch: 'mlp', optimizer: 'sgd', optimizerOptions: { lr: -1 }, steps: 3 };
    expect(() => checkedRunSpec(input)).toThrow(RunSpecError);
    const unchecked = { ...fakeSpec('complete'), optimizerOptions: { lr: -1 } } as CheckedRunSpec;
    const queued = manager.enqueue(experimentId, unchecked);
    expect(queued).toMatchObject({ status: 'queued', spec: { optimizerOptions: { lr: -1 } } });
    await manager.idle();
    expect(run(queued.id).status).toBe('completed');
  });
});

