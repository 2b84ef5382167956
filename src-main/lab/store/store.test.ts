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
