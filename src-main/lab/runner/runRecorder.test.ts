import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabEvent } from '../api/labApi';
import { openStore, type Store } from '../store';
import { sampleSpec } from '../store/runFixtures.testkit';
import { databaseOf } from '../store/storeDatabase.testkit';
import { RunRecorder } from './runRecorder';
import { doneEvent, epochEvent, startEvent, stepEvent } from './trainEvents.testkit';

let store: Store;
let experimentId: number;
let events: LabEvent[];

beforeEach(() => {
  store = openStore(':memory:');
  experimentId = store.createExperiment({ name: 'recorder' }).id;
  events = [];
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  store.close();
});

function recorderFor(totalSteps = 0): RunRecorder {
  const runId = store.createRun(experimentId, sampleSpec).id;
  return new RunRecorder(store, runId, (event) => events.push(event), totalSteps);
}

function stepRows(runId: number): number[] {
  return databaseOf(store).prepare('SELECT step FROM step_metrics WHERE run_id = ? ORDER BY step').pluck().all(runId) as number[];
}

/** Each event in words: `status running`, `progress 0/10`, `epoch 0 (20 passes)`. */
function described(): string[] {
  return events.map((e) => {
    if (e.type === 'run-status') return `status ${e.run?.status}`;
    if (e.type === 'run-progress') return `progress ${e.step}/${e.totalSteps}`;
    if (e.type === 'run-epoch') return `epoch ${e.epoch.epoch} (${e.epoch.passes} passes)`;
    return e.type;
  });
}

describe('RunRecorder', () => {
  it('writes a run\'s rows and says so: running, throttled progress, the epoch, the last progress before completed', () => {
    const recorder = recorderFor();
    recorder.record(startEvent(10));
    expect(store.getRun(recorder.runId)).toMatchObject({ status: 'running', totalSteps: 10, stepsPerEpoch: 10 });
    for (let step = 0; step < 10; step++) recorder.record(stepEvent(step, 10 - step));
    recorder.record(epochEvent(0, 10));
    expect(stepRows(recorder.runId)).toEqual([]); // buffered until a flush
    recorder.flush();
    expect(stepRows(recorder.runId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    recorder.record(doneEvent(10));

    // The first step goes out at once, the rest within the same 250 ms wait: only the last of them is
    // sent, when `done` arrives. Passes at the epoch: step 9's 10 forward + 10 backward.
    expect(described()).toEqual(['status running', 'progress 0/10', 'epoch 0 (20 passes)', 'progress 9/10', 'status completed']);
    expect(recorder.finished).toBe(true);
    expect(store.getRun(recorder.runId)).toMatchObject({ status: 'completed', steps: 10, storedSteps: 10, valAccuracy: 0.25, trainEvalLoss: 0.9 });
  });

  it('a run that ends without done keeps its rows, records the reason, its steps and last loss, and is reported', () => {
    const recorder = recorderFor(40);
    recorder.record(stepEvent(0, 3));
    recorder.record(stepEvent(1, 2.5));
    recorder.end({ status: 'failed', error: 'the worker refused its dataset' });
    expect(described()).toEqual(['progress 0/40', 'progress 1/40', 'status failed']);
    expect(store.getRun(recorder.runId)).toMatchObject({ status: 'failed', error: 'the worker refused its dataset', steps: 2, trainLoss: 2.5, storedSteps: 2 });
    expect(recorder.finished).toBe(true);
  });

  it('discard drops what is buffered and leaves the status; close writes it and leaves the status', () => {
    const dropped = recorderFor();
    dropped.record(startEvent(4));
    dropped.record(stepEvent(0, 1));
    dropped.discard();
    expect(stepRows(dropped.runId)).toEqual([]);
    expect(store.getRun(dropped.runId)!.status).toBe('running');

    const closed = recorderFor();
    closed.record(startEvent(4));
    closed.record(stepEvent(0, 1));
    closed.close();
    expect(stepRows(closed.runId)).toEqual([0]);
    expect(store.getRun(closed.runId)!.status).toBe('running');
  });

  it('a run deleted between two flushes: its buffered rows are dropped quietly and the recorder stops', () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(console, 'error');
    const recorder = recorderFor();
    recorder.record(startEvent(4));
    recorder.record(stepEvent(0, 1));
    store.deleteRun(recorder.runId);
    vi.advanceTimersByTime(1500); // the journal's timer flush meets the foreign key
    expect(recorder.finished).toBe(true);
    expect(errors).not.toHaveBeenCalled();
  });
});
