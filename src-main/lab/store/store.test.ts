import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore';
import type { Store } from './store';
import { sampleSpec, stepEvent } from './runFixtures.testkit';
import { databaseOf } from './storeDatabase.testkit';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => {
  if (databaseOf(store).open) store.close();
});

function rows(table: string): number {
  return (databaseOf(store).prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function recordSteps(runId: number, n: number): void {
  const recorder = store.recordRun(runId);
  for (let s = 0; s < n; s++) recorder.record(stepEvent(s, 1, { lr: 0.1, beta: 0.9 }));
  recorder.record({ type: 'epoch', epoch: 0, steps: n, trainLoss: 1, trainAccuracy: null, valLoss: 1, valAccuracy: null, seconds: 1 });
  recorder.close();
}

describe('Store', () => {
  it('creates and lists experiments, newest first, with their run counts', () => {
    const a = store.createExperiment({ name: 'first', notes: 'n', tags: ['x', 'y'] });
    const b = store.createExperiment({ name: 'second' });
    store.createRun(a.id, sampleSpec);
    expect(store.listExperiments().map((e) => [e.name, e.notes, e.tags, e.runCount])).toEqual([
      ['second', '', [], 0],
      ['first', 'n', ['x', 'y'], 1],
    ]);
    expect(b.uid).not.toBe(a.uid);
  });

  it('keeps the run spec as given and lists runs with their stored step counts', () => {
    const exp = store.createExperiment({ name: 'e' });
    const other = store.createExperiment({ name: 'other' });
    const r1 = store.createRun(exp.id, sampleSpec);
    const r2 = store.createRun(exp.id, { ...sampleSpec, optimizer: 'adam', optimizerOptions: { lr: 0.001 } });
    store.createRun(other.id, sampleSpec);
    recordSteps(r1.id, 7);
    expect(store.getRun(r1.id)!.spec).toEqual(sampleSpec);
    expect(store.listRuns({ experimentId: exp.id }).map((r) => [r.id, r.optimizer, r.status, r.storedSteps])).toEqual([
      [r1.id, 'sgd', 'queued', 7],
      [r2.id, 'adam', 'queued', 0],
    ]);
    expect(store.listRuns()).toHaveLength(3);
    expect(store.traceNames(r1.id)).toEqual(['beta', 'lr']);
  });

  it('records a failed run with its error', () => {
    const run = store.createRun(store.createExperiment({ name: 'e' }).id, sampleSpec);
    store.markRunStarted(run.id, { backend: 'cpu-blas', pid: 4242 });
    expect([store.getRun(run.id)!.status, store.getRun(run.id)!.backend, store.getRun(run.id)!.pid]).toEqual(['running', 'cpu-blas', 4242]);
    store.markRunFinished(run.id, { status: 'failed', error: 'out of memory' });
    const after = store.getRun(run.id)!;
    expect([after.status, after.error, after.steps]).toEqual(['failed', 'out of memory', null]);
  });

  it('deleting an experiment deletes its runs, metrics and traces, and nothing of other experiments', () => {
    const doomed = store.createExperiment({ name: 'doomed' });
    const kept = store.createExperiment({ name: 'kept' });
    recordSteps(store.createRun(doomed.id, sampleSpec).id, 5);
    recordSteps(store.createRun(doomed.id, sampleSpec).id, 3);
    recordSteps(store.createRun(kept.id, sampleSpec).id, 2);
    expect([rows('runs'), rows('step_metrics'), rows('trace_values'), rows('epoch_metrics')]).toEqual([3, 10, 20, 3]);
    expect(store.deleteExperiment(doomed.id)).toBe(true);
    expect([rows('experiments'), rows('runs'), rows('step_metrics'), rows('trace_values'), rows('epoch_metrics')]).toEqual([1, 1, 2, 4, 1]);
    expect(store.deleteExperiment(doomed.id)).toBe(false);
  });

  it("lists a run's metrics: accuracy only once a step recorded one", () => {
    const exp = store.createExperiment({ name: 'e' });
    const regression = store.createRun(exp.id, sampleSpec).id;
    const classification = store.createRun(exp.id, sampleSpec).id;
    const r = store.recordRun(regression);
    r.record(stepEvent(0, 1));
    r.close();
    const c = store.recordRun(classification);
    c.record(stepEvent(0, 1));
    c.record({ ...stepEvent(1, 0.5), accuracy: 0.75 });
    c.close();
    expect(store.metricNames(regression)).toEqual(['loss']);
    expect(store.metricNames(classification)).toEqual(['loss', 'accuracy']);
  });

  it('a run needs an existing experiment', () => {
    expect(() => store.createRun(999, sampleSpec)).toThrow(/FOREIGN KEY/);
  });

  it('closing the store flushes recorders still open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'curvelab-store-'));
    try {
      const file = join(dir, 'lab.db');
      store.close();
      store = openStore(file);
      const run = store.createRun(store.createExperiment({ name: 'e' }).id, sampleSpec);
      const recorder = store.recordRun(run.id);
      recorder.record(stepEvent(0, 1));
      recorder.record(stepEvent(1, 1));
      store.close();
      store = openStore(file);
      expect(store.getRun(run.id)!.storedSteps).toBe(2);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Store: studies', () => {
  const spec = { dataset: 'mnist', architectures: [{ preset: 'linear' }], optimizers: [{ name: 'sgd' }, { name: 'adam' }], seeds: [1], budget: { steps: 2 }, batchSize: 8 };
  const cell = (optimizer: string) => ({ architecture: 'linear', optimizer, lr: null, seed: 1 });

  function study(name = 's') {
    return store.createStudy({
      name,
      study: { spec, builtIn: { name: 'seed-table', scale: 'tiny' }, task: 'classification' },
      runs: [{ spec: sampleSpec, cell: cell('sgd') }, { spec: { ...sampleSpec, optimizer: 'adam' }, cell: cell('adam') }],
      pid: 4242,
    });
  }

  it('stores a study whole: its experiment with its spec, a queued run per cell; lists studies newest first with runs by status', () => {
    store.createExperiment({ name: 'plain' });
    const first = study('first');
    const second = study('second');
    expect(first.runIds).toHaveLength(2);
    expect(store.getRun(first.runIds[1]!)).toMatchObject({ status: 'queued', optimizer: 'adam', pid: 4242, experimentId: first.experiment.id });
    expect([...store.studyCells(first.experiment.id)]).toEqual([
      [first.runIds[0], cell('sgd')],
      [first.runIds[1], cell('adam')],
    ]);
    store.markRunFinished(second.runIds[0]!, { status: 'diverged' });
    expect(store.listStudies().map((s) => [s.experiment.name, s.study.builtIn, s.statusCounts])).toEqual([
      ['second', { name: 'seed-table', scale: 'tiny' }, { diverged: 1, queued: 1 }],
      ['first', { name: 'seed-table', scale: 'tiny' }, { queued: 2 }],
    ]);
  });

  it('requeues an interrupted run from scratch: same id, uid and cell, its rows deleted; only an interrupted one, only once', () => {
    const { runIds } = study();
    const [id, other] = runIds as [number, number];
    store.markRunStarted(id, { backend: 'cpu', pid: 4242, totalSteps: 3, stepsPerEpoch: 3 });
    recordSteps(id, 3);
    recordSteps(other, 2);
    store.markRunFinished(id, { status: 'interrupted', steps: 3, trainLoss: 1, error: 'the process ended' });
    const before = store.getRun(id)!;

    const respec = { ...sampleSpec, steps: 3 };
    expect(store.requeueRun(id, respec, 777)).toBe(true);
    expect(store.requeueRun(id, respec, 778)).toBe(false); // another lab got there first
    expect(store.getRun(id)).toEqual({
      ...before,
      spec: respec,
      status: 'queued',
      pid: 777,
      backend: null,
      startedAt: null,
      endedAt: null,
      totalSteps: null,
      stepsPerEpoch: null,
      steps: null,
      storedSteps: 0,
      trainLoss: null,
      valLoss: null,
      bestValAccuracy: null,
      bestValLoss: null,
      error: null,
    });
    expect(store.studyCells(store.getRun(id)!.experimentId).get(id)).toEqual(cell('sgd'));
    for (const table of ['step_metrics', 'epoch_metrics', 'trace_values']) {
      expect(databaseOf(store).prepare(`SELECT COUNT(*) FROM ${table} WHERE run_id = ?`).pluck().get(id)).toBe(0);
    }
    // The other run keeps its rows; a run that is not interrupted is not taken.
    expect(store.getRun(other)!.storedSteps).toBe(2);
    expect(store.requeueRun(other, respec, 777)).toBe(false);
  });
});
