import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EpochEvent, StartEvent } from '../../engine/train/trainEvents';
import { openStore } from './openStore';
import type { Store } from './store';
import { sampleSpec, stepEvent } from './runFixtures.testkit';
import { databaseOf } from './storeDatabase.testkit';

let store: Store;
let runId: number;
beforeEach(() => {
  store = openStore(':memory:');
  runId = store.createRun(store.createExperiment({ name: 'e' }).id, sampleSpec).id;
  store.markRunStarted(runId, { backend: 'cpu' });
});
afterEach(() => {
  vi.useRealTimers();
  store.close();
});

function count(table: string): number {
  return (databaseOf(store).prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(runId) as { n: number }).n;
}

function epochEvent(epoch: number, steps: number): EpochEvent {
  return { type: 'epoch', epoch, steps, trainLoss: 1 / (epoch + 1), trainAccuracy: 0.5, valLoss: 2 / (epoch + 1), valAccuracy: 0.25 * epoch, seconds: epoch };
}

describe('RunJournal', () => {
  it('writes every step, trace value and epoch, and the final status on done', () => {
    const journal = store.recordRun(runId);
    journal.record({
      type: 'start', backend: 'cpu', backendReason: 'test', optimizer: 'sgd', totalSteps: 6, stepsPerEpoch: 3,
      dataset: { name: 'd', task: 'classification', inputShape: [2], classes: 2, trainSize: 6, validationSize: 2, augment: false },
      model: { layers: [], paramCount: 0 },
    });
    for (let s = 0; s < 6; s++) {
      journal.record(stepEvent(s, s === 4 ? Number.NaN : 10 - s, { lr: 0.1, rho: s / 2 }));
      if (s % 3 === 2) journal.record(epochEvent((s - 2) / 3, s + 1));
    }
    expect(count('step_metrics')).toBe(0); // buffered until a flush
    journal.record({
      type: 'done', status: 'completed', steps: 6, trainLoss: 5.5, valLoss: 1, valAccuracy: 0.25, trainEvalLoss: 0.75, trainEvalAccuracy: 0.5, seconds: 1, backend: 'cpu',
    });

    expect(count('step_metrics')).toBe(6);
    expect(count('trace_values')).toBe(12);
    expect(databaseOf(store).prepare('SELECT step, loss, seconds, forward_passes AS f FROM step_metrics WHERE run_id = ? AND step IN (3, 4) ORDER BY step').all(runId)).toEqual([
      { step: 3, loss: 7, seconds: 0.3, f: 4 },
      { step: 4, loss: null, seconds: 0.4, f: 5 }, // NaN loss stored as null
    ]);
    expect(store.readCurve(runId, { series: 'rho', maxPoints: 10 }).map((p) => p.value)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    // passes: the fixture's step s has done 2(s + 1) (forward + backward); epoch 0 ends at step 2.
    expect(store.readEpochMetrics(runId)).toEqual([
      { epoch: 0, steps: 3, trainLoss: 1, trainAccuracy: 0.5, valLoss: 2, valAccuracy: 0, seconds: 0, passes: 6 },
      { epoch: 1, steps: 6, trainLoss: 0.5, trainAccuracy: 0.5, valLoss: 1, valAccuracy: 0.25, seconds: 1, passes: 12 },
    ]);
    const run = store.getRun(runId)!;
    expect([run.status, run.steps, run.storedSteps, run.trainLoss, run.valLoss, run.valAccuracy, run.error]).toEqual([
      'completed', 6, 6, 5.5, 1, 0.25, null,
    ]);
    expect([run.trainEvalLoss, run.trainEvalAccuracy]).toEqual([0.75, 0.5]);
    expect(run.endedAt).not.toBeNull();
    expect(() => journal.record(stepEvent(7, 1))).toThrow(/closed/);
  });

  it('flushes on its timer while the run trains', () => {
    vi.useFakeTimers();
    const journal = store.recordRun(runId, { flushIntervalMs: 1000 });
    journal.record(stepEvent(0, 1, { lr: 0.1 }));
    journal.record(stepEvent(1, 1, { lr: 0.1 }));
    vi.advanceTimersByTime(999);
    expect(count('step_metrics')).toBe(0);
    vi.advanceTimersByTime(1);
    expect(count('step_metrics')).toBe(2);
    expect(count('trace_values')).toBe(2);
    journal.record(stepEvent(2, 1));
    vi.advanceTimersByTime(1000);
    expect(count('step_metrics')).toBe(3);
    expect(store.getRun(runId)!.status).toBe('running');
    journal.close();
  });

  it('flushes when the buffer is full, and on close', () => {
    const journal = store.recordRun(runId, { maxBufferedSteps: 4 });
    for (let s = 0; s < 5; s++) journal.record(stepEvent(s, 1));
    expect(count('step_metrics')).toBe(4);
    journal.close();
    expect(count('step_metrics')).toBe(5);
    expect(store.getRun(runId)!.status).toBe('running'); // close alone does not end the run

  });

  it('a timer flush that fails reports and does not throw out of the timer', () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const journal = store.recordRun(runId, { onError: (e) => errors.push(e) });
    journal.record(stepEvent(0, 1));
    databaseOf(store).prepare('DELETE FROM runs WHERE id = ?').run(runId);
    vi.advanceTimersByTime(1000);
    expect(errors).toHaveLength(1);
    journal.close();
  });

  it("discard drops a deleted run's buffered rows, so neither it nor closing the store throws; other runs keep theirs", () => {
    const other = store.createRun(store.createExperiment({ name: 'other' }).id, sampleSpec).id;
    const kept = store.recordRun(other);
    kept.record(stepEvent(0, 1));
    const journal = store.recordRun(runId);
    for (let s = 0; s < 5; s++) journal.record(stepEvent(s, 1, { lr: 0.1 }));
    store.deleteExperiment(store.getRun(runId)!.experimentId);
    // What discard is for: the buffered rows can no longer be written.
    expect(() => journal.flush()).toThrow(/FOREIGN KEY/);
    journal.discard();
    expect(() => journal.record(stepEvent(5, 1))).toThrow(/recorder is closed/);
    kept.close();
    const total = (table: string): number => (databaseOf(store).prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([total('step_metrics'), total('trace_values')]).toEqual([1, 0]);
  });
});

describe('RunJournal: the rows a run\'s events make, from start to its end', () => {
  const start: StartEvent = {
    type: 'start', backend: 'webgpu', backendReason: 'test', optimizer: 'sgd', totalSteps: 6, stepsPerEpoch: 3,
    dataset: { name: 'd', task: 'classification', inputShape: [2], classes: 2, trainSize: 6, validationSize: 2, augment: false },
    model: { layers: [], paramCount: 0 },
  };
  let queued: number;
  beforeEach(() => {
    queued = store.createRun(store.createExperiment({ name: 'queued' }).id, sampleSpec, { pid: null }).id;
  });

  it('start marks a queued run running here, with its backend and step counts', () => {
    expect(store.getRun(queued)).toMatchObject({ status: 'queued', backend: null, startedAt: null, totalSteps: null, pid: null });
    const journal = store.recordRun(queued);
    journal.record(start);
    expect(store.getRun(queued)).toMatchObject({ status: 'running', backend: 'webgpu', totalSteps: 6, stepsPerEpoch: 3, pid: process.pid });
    expect(store.getRun(queued)!.startedAt).not.toBeNull();
    journal.close();
  });

  it('a run that ends without done keeps its rows and records the reason, the steps taken and the last loss', () => {
    const journal = store.recordRun(queued);
    journal.record(start);
    [10, 9, 8, 7].forEach((loss, s) => journal.record(stepEvent(s, loss, { lr: 0.1 })));
    journal.end({ status: 'failed', error: 'the training worker crashed: boom' });
    expect(journal.finished).toBe(true);
    const run = store.getRun(queued)!;
    expect([run.status, run.error, run.steps, run.storedSteps, run.trainLoss]).toEqual(['failed', 'the training worker crashed: boom', 4, 4, 7]);
    expect(run.endedAt).not.toBeNull();
    expect(store.readCurve(queued, { series: 'lr', maxPoints: 10 })).toHaveLength(4);
    expect(() => journal.record(stepEvent(4, 1))).toThrow(/closed/);
    // Its status is final: a second ending changes nothing.
    journal.end({ status: 'interrupted', error: 'later' });
    expect(store.getRun(queued)).toMatchObject({ status: 'failed', error: 'the training worker crashed: boom' });
  });

  it('ending before any step (a job that threw at the start): no steps, no loss; a non-finite last loss is not kept', () => {
    const early = store.recordRun(queued);
    early.end({ status: 'interrupted', error: 'the lab shut down' });
    expect(store.getRun(queued)).toMatchObject({ status: 'interrupted', error: 'the lab shut down', steps: null, trainLoss: null, storedSteps: 0 });

    const diverging = store.recordRun(runId);
    diverging.record(stepEvent(0, 2));
    diverging.record(stepEvent(1, Number.POSITIVE_INFINITY));
    diverging.end({ status: 'failed', error: 'x' });
    expect(store.getRun(runId)).toMatchObject({ status: 'failed', steps: 2, trainLoss: null, storedSteps: 2 });
  });

  it('after done, an ending changes nothing', () => {
    const journal = store.recordRun(queued);
    journal.record(start);
    journal.record(stepEvent(0, 1));
    journal.record({
      type: 'done', status: 'completed', steps: 1, trainLoss: 1, valLoss: 2, valAccuracy: 0.5, trainEvalLoss: 1, trainEvalAccuracy: 0.5, seconds: 1, backend: 'webgpu',
    });
    expect(journal.finished).toBe(true);
    journal.end({ status: 'failed', error: 'the worker exited' });
    expect(store.getRun(queued)).toMatchObject({ status: 'completed', error: null, steps: 1 });
  });
});

