import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EpochEvent } from '../../engine/train/trainEvents';
import { openStore } from './openStore';
import type { Store } from './store';
import { sampleSpec, stepEvent } from './runFixtures.testkit';

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
  return (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(runId) as { n: number }).n;
}

function epochEvent(epoch: number, steps: number): EpochEvent {
  return { type: 'epoch', epoch, steps, trainLoss: 1 / (epoch + 1), trainAccuracy: 0.5, valLoss: 2 / (epoch + 1), valAccuracy: 0.25 * epoch, seconds: epoch };
}

describe('RunRecorder', () => {
  it('writes every step, trace value and epoch, and the final status on done', () => {
    const recorder = store.recordRun(runId);
    recorder.record({
      type: 'start', backend: 'cpu', backendReason: 'test', optimizer: 'sgd', totalSteps: 6, stepsPerEpoch: 3,
      dataset: { name: 'd', task: 'classification', inputShape: [2], classes: 2, trainSize: 6, validationSize: 2 },
      model: { layers: [], paramCount: 0 },
    });
    for (let s = 0; s < 6; s++) {
      recorder.record(stepEvent(s, s === 4 ? Number.NaN : 10 - s, { lr: 0.1, rho: s / 2 }));
      if (s % 3 === 2) recorder.record(epochEvent((s - 2) / 3, s + 1));
    }
    expect(count('step_metrics')).toBe(0); // buffered until a flush
    recorder.record({ type: 'done', status: 'completed', steps: 6, trainLoss: 5.5, valLoss: 1, valAccuracy: 0.25, seconds: 1, backend: 'cpu' });

    expect(count('step_metrics')).toBe(6);
    expect(count('trace_values')).toBe(12);
    expect(store.db.prepare('SELECT step, loss, seconds, forward_passes AS f FROM step_metrics WHERE run_id = ? AND step IN (3, 4) ORDER BY step').all(runId)).toEqual([
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
    expect(run.endedAt).not.toBeNull();
    expect(() => recorder.record(stepEvent(7, 1))).toThrow(/closed/);
  });

  it('flushes on its timer while the run trains', () => {
    vi.useFakeTimers();
    const recorder = store.recordRun(runId, { flushIntervalMs: 1000 });
    recorder.record(stepEvent(0, 1, { lr: 0.1 }));
    recorder.record(stepEvent(1, 1, { lr: 0.1 }));
    vi.advanceTimersByTime(999);
    expect(count('step_metrics')).toBe(0);
    vi.advanceTimersByTime(1);
    expect(count('step_metrics')).toBe(2);
    expect(count('trace_values')).toBe(2);
    recorder.record(stepEvent(2, 1));
    vi.advanceTimersByTime(1000);
    expect(count('step_metrics')).toBe(3);
    expect(store.getRun(runId)!.status).toBe('running');
    recorder.close();
  });

  it('flushes when the buffer is full, and on close', () => {
    const recorder = store.recordRun(runId, { maxBufferedSteps: 4 });
    for (let s = 0; s < 5; s++) recorder.record(stepEvent(s, 1));
    expect(count('step_metrics')).toBe(4);
    recorder.close();
    expect(count('step_metrics')).toBe(5);
    expect(store.getRun(runId)!.status).toBe('running'); // close alone does not end the run

  });

  it('a timer flush that fails reports and does not throw out of the timer', () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const recorder = store.recordRun(runId, { onError: (e) => errors.push(e) });
    recorder.record(stepEvent(0, 1));
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    vi.advanceTimersByTime(1000);
    expect(errors).toHaveLength(1);
    recorder.close();
  });

  it("discard drops a deleted run's buffered rows, so neither it nor closing the store throws; other runs keep theirs", () => {
    const other = store.createRun(store.createExperiment({ name: 'other' }).id, sampleSpec).id;
    const kept = store.recordRun(other);
    kept.record(stepEvent(0, 1));
    const recorder = store.recordRun(runId);
    for (let s = 0; s < 5; s++) recorder.record(stepEvent(s, 1, { lr: 0.1 }));
    store.deleteExperiment(store.getRun(runId)!.experimentId);
    // What discard is for: the buffered rows can no longer be written.
    expect(() => recorder.flush()).toThrow(/FOREIGN KEY/);
    recorder.discard();
    expect(() => recorder.record(stepEvent(5, 1))).toThrow(/recorder is closed/);
    kept.close();
    const total = (table: string): number => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([total('step_metrics'), total('trace_values')]).toEqual([1, 0]);
  });
});
