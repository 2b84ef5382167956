import type { EpochPoint } from '$api/labApi';
import { LabError } from '$api/labErrors';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { FakeLabClient, makeRun, makeSpec, stepPoints } from '../lab/fakeLabClient.testkit';
import { CompareState } from './compareState.svelte';
import { paletteColor } from './palette';
import { sharedXRange } from './panelModels';

function epochRow(epoch: number, valLoss: number, valAccuracy: number): EpochPoint {
  return { epoch, steps: 3 * (epoch + 1), seconds: epoch + 1, passes: 9 * (epoch + 1), trainLoss: null, trainAccuracy: null, valLoss, valAccuracy };
}

function labWithRuns(): FakeLabClient {
  const lab = new FakeLabClient();
  lab.runs = [
    makeRun({ id: 1, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr: 0.1 }, seed: 0 }) }),
    makeRun({ id: 2, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr: 0.1 }, seed: 1 }) }),
    makeRun({ id: 3, spec: makeSpec({ optimizer: 'curveball', seed: 0 }), status: 'running' }),
  ];
  lab.curves.set(1, {
    series: { loss: stepPoints([2, 1, 0.5]), accuracy: stepPoints([0.1, 0.5, 0.8]), lr: stepPoints([0.1, 0.1, 0.1]) },
    epochs: [epochRow(0, 0.6, 0.8)],
  });
  lab.curves.set(2, {
    series: { loss: stepPoints([4, 3, 1.5]), accuracy: stepPoints([0.2, 0.4, 0.6]), lr: stepPoints([0.1, 0.1, 0.1]) },
    epochs: [epochRow(0, 0.8, 0.7)],
  });
  lab.curves.set(3, {
    series: { loss: stepPoints([3]), accuracy: stepPoints([0.1]), rho: stepPoints([0]), beta: stepPoints([0.5]), lambda: stepPoints([1]) },
    epochs: [],
  });
  return lab;
}

const panelIds = (state: CompareState) => state.panels.map((p) => p.id);
const datasetIds = (state: CompareState, panelId: string) => state.panels.find((p) => p.id === panelId)?.datasets.map((d) => d.id);
const lineYs = (state: CompareState, panelId: string, datasetId: string) =>
  state.panels.find((p) => p.id === panelId)?.datasets.find((d) => d.id === datasetId)?.points.map((p) => p.y);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('selection', () => {
  test('fetches the runs and every series they have in one readCurves call, which names the series', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab, { maxPoints: 800 });
    await state.select([3, 1]);
    expect(lab.callsOf('listSeries')).toEqual([]);
    expect(lab.callsOf('readCurves')).toEqual([{ runIds: [3, 1], maxPoints: 800 }]);
    expect(state.seriesNames).toEqual([
      { runId: 3, metrics: ['loss', 'accuracy'], traces: ['beta', 'lambda', 'rho'] },
      { runId: 1, metrics: ['loss', 'accuracy'], traces: ['lr'] },
    ]);
    expect(state.runs.map((r) => r.id)).toEqual([3, 1]);
    expect(panelIds(state)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'rho', 'beta', 'lambda']);
    expect(datasetIds(state, 'loss')).toEqual(['run:1|raw', 'run:1|line', 'run:3|raw', 'run:3|line']);
    // Traces are not smoothed by default (issue 13): no faint raw curve behind ρ.
    expect(datasetIds(state, 'rho')).toEqual(['run:3|line']);
    expect(state.loading).toBe(false);
    expect(state.error).toBeNull();
  });

  test('the same ids again fetch nothing; unknown ids are reported as missing', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    await state.select([1, 99]);
    await state.select([1, 99]);
    expect(lab.callsOf('readCurves')).toHaveLength(1);
    expect(state.missingRunIds).toEqual([99]);
    expect(state.runs.map((r) => r.id)).toEqual([1]);
  });

  test('an answer for an older selection is dropped', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    const first = state.select([1]);
    const second = state.select([2]);
    await Promise.all([first, second]);
    expect(state.runs.map((r) => r.id)).toEqual([2]);
    expect([...state.curves.keys()]).toEqual([2]);
  });

  test('a failed fetch is shown in words and leaves the previous curves alone', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    await state.select([1]);
    lab.fail('readCurves', new LabError('internal', 'database is locked'));
    await state.select([2]);
    expect(state.error).toBe("Could not load the runs' curves: database is locked");
    expect([...state.curves.keys()]).toEqual([1]);
    expect(state.loading).toBe(false);
  });

  test('an empty selection clears everything without calling the lab', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    await state.select([1]);
    await state.select([]);
    expect(lab.callsOf('listRuns')).toHaveLength(1);
    expect(state.runs).toEqual([]);
    expect(state.panels.every((p) => p.datasets.length === 0)).toBe(true);
  });
});

describe('settings', () => {
  test('grouping by config pools the seeds: mean line and band in the group colour', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    await state.select([1, 2, 3]);
    state.setSmoothing(0);
    state.setGroupBy('config');
    expect(state.entries.map((e) => [e.label, e.runIds])).toEqual([
      ['sgd lr=0.1', [1, 2]],
      ['curveball', [3]],
    ]);
    const key = state.entries[0].key;
    expect(datasetIds(state, 'loss')).toEqual([`${key}|band-min`, `${key}|band-max`, `${key}|line`, `${state.entries[1].key}|line`]);
    // Runs 1 and 2 share steps: mean of (2, 4), (1, 3), (0.5, 1.5).
    expect(lineYs(state, 'loss', `${key}|line`)).toEqual([3, 2, 1]);
    expect(lineYs(state, 'loss', `${key}|band-min`)).toEqual([2, 1, 0.5]);
    expect(state.panels[0].datasets[0].color).toBe(paletteColor(0));

    state.showBand = false;
    expect(datasetIds(state, 'loss')?.some((id) => id.includes('band'))).toBe(false);

    state.setGroupBy('none');
    expect(state.entries).toHaveLength(3);
    expect(() => state.setGroupBy('seed')).toThrow(/groupBy: expected none, optimizer, config or option:<name>, got "seed"/);
  });

  test('the key checkboxes build a grouping; the band can span ± 1 SD', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    await state.select([1, 2, 3]);
    state.setSmoothing(0);
    expect(state.groupKeyChoices.map((c) => c.key)).toEqual(['optimizer', 'dataset', 'arch', 'opt.lr', 'seed']);
    state.toggleGroupKey('optimizer');
    expect(state.groupByValue).toBe('optimizer');
    state.toggleGroupKey('opt.lr');
    expect(state.groupByValue).toBe('option:lr');
    state.toggleGroupKey('optimizer');
    expect(state.groupByValue).toBe('keys:opt.lr');
    expect(state.entries.map((e) => [e.label, e.runIds])).toEqual([
      ['lr=0.1', [1, 2]],
      ['lr=default', [3]],
    ]);
    state.toggleGroupKey('opt.lr');
    expect(state.groupBy).toEqual({ kind: 'none' });

    state.setGroupBy('config');
    state.band = 'sd';
    const key = state.entries[0].key;
    // Runs 1 and 2: (2, 4), (1, 3), (0.5, 1.5): sd √2, √2, √0.5.
    expect(lineYs(state, 'loss', `${key}|band-max`)).toEqual([3 + Math.SQRT2, 2 + Math.SQRT2, 1 + Math.SQRT1_2]);
  });

  test('x-axis, log y and hiding a curve change what is plotted', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    await state.select([1]);
    state.setSmoothing(0);
    state.setXAxis('passes');
    expect(state.panels[0].datasets[0].points.map((p) => p.x)).toEqual([3, 6, 9]);
    expect(sharedXRange(state.panels)).toEqual({ min: 3, max: 9 });
    state.toggleEntry('run:1');
    expect(state.panels.every((p) => p.datasets.length === 0)).toBe(true);
    state.toggleEntry('run:1');
    state.logY = true;
    expect(state.panels[0].datasets[0].points).toHaveLength(3);
  });

  test('smoothing is kept in [0, 0.99]', () => {
    const state = new CompareState(labWithRuns());
    state.setSmoothing(1.5);
    expect(state.smoothing).toBe(0.99);
    state.setSmoothing(-1);
    expect(state.smoothing).toBe(0);
  });

  test('csv() holds the plotted curves', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    await state.select([1]);
    state.setSmoothing(0);
    const lines = state.csv().split('\r\n');
    expect(lines[0]).toBe(
      'step,loss: #1 sgd lr=0.1 seed 0,accuracy: #1 sgd lr=0.1 seed 0,val_loss: #1 sgd lr=0.1 seed 0,val_accuracy: #1 sgd lr=0.1 seed 0,lr: #1 sgd lr=0.1 seed 0',
    );
    expect(lines[1]).toBe('0,2,0.1,,,0.1');
    // The epoch ended after 3 steps.
    expect(lines[4]).toBe('3,,,0.6,0.8,');
  });
});

describe('many runs', () => {
  test('twenty-five runs are decoded a few per task, and every one arrives, in the order asked', async () => {
    const lab = new FakeLabClient();
    const ids = Array.from({ length: 25 }, (_, i) => i + 1);
    lab.runs = ids.map((id) => makeRun({ id, spec: makeSpec({ optimizer: 'sgd', seed: id }) }));
    for (const id of ids) lab.curves.set(id, { series: { loss: stepPoints([id, id / 2]) }, epochs: [] });
    const state = new CompareState(lab);
    state.setSmoothing(0);
    await state.select([...ids].reverse());
    expect([...state.curves.keys()]).toEqual([...ids].reverse());
    expect(lineYs(state, 'loss', 'run:7|line')).toEqual([7, 3.5]);
    expect(lab.callsOf('readCurves')).toHaveLength(1);
  });
});

describe('live updates', () => {
  test('events about shown runs refetch them at most once a second; other runs are ignored', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    const disconnect = state.connect();
    await state.select([1, 3]);
    lab.calls.length = 0;

    const progress = (runId: number, step: number) =>
      lab.emit({ type: 'run-progress', runId, step, totalSteps: 10, epoch: 0, loss: 1, accuracy: null, seconds: step, trace: {} });

    progress(2, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(lab.callsOf('readCurves')).toHaveLength(0);

    lab.curves.get(3)!.series.loss = stepPoints([3, 2.5]);
    progress(3, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(lab.callsOf('readCurves')).toEqual([{ runIds: [3], maxPoints: 1000 }]);
    state.setSmoothing(0);
    expect(lineYs(state, 'loss', 'run:3|line')).toEqual([3, 2.5]);

    lab.curves.get(3)!.series.loss = stepPoints([3, 2.5, 2]);
    progress(3, 2);
    await vi.advanceTimersByTimeAsync(300);
    lab.emit({ type: 'run-epoch', runId: 1, epoch: epochRow(1, 0.4, 0.9) });
    await vi.advanceTimersByTimeAsync(300);
    expect(lab.callsOf('readCurves')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(400);
    expect(lab.callsOf('readCurves')).toHaveLength(2);
    expect((lab.callsOf('readCurves')[1] as { runIds: number[] }).runIds).toEqual([3, 1]);
    expect(lineYs(state, 'loss', 'run:3|line')).toEqual([3, 2.5, 2]);
    // Only the dirty runs were refetched; the others keep their curves.
    expect([...state.curves.keys()].sort()).toEqual([1, 3]);

    disconnect();
    expect(lab.listenerCount).toBe(0);
    progress(3, 3);
    await vi.advanceTimersByTimeAsync(5000);
    expect(lab.callsOf('readCurves')).toHaveLength(2);
  });

  test('a status event updates the run record; a deleted run leaves the chart', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    state.connect();
    await state.select([1, 3]);
    lab.emit({ type: 'run-status', runId: 3, run: { ...lab.runs.find((r) => r.id === 3)!, status: 'completed' } });
    expect(state.runs.find((r) => r.id === 3)?.status).toBe('completed');
    await vi.advanceTimersByTimeAsync(0);
    expect(lab.callsOf('readCurves')).toHaveLength(2);

    lab.emit({ type: 'run-status', runId: 1, run: null });
    expect(state.runIds).toEqual([3]);
    expect(state.entries.map((e) => e.key)).toEqual(['run:3']);
    expect(state.curves.has(1)).toBe(false);
  });

  test('a failed live refetch is shown, and the next event tries again', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    state.connect();
    await state.select([3]);
    lab.fail('readCurves', new LabError('internal', 'connection lost'));
    lab.emit({ type: 'run-epoch', runId: 3, epoch: epochRow(0, 1, 0.5) });
    await vi.advanceTimersByTimeAsync(0);
    expect(state.error).toBe('Live update failed: connection lost');
    await vi.advanceTimersByTimeAsync(1000);
    lab.emit({ type: 'run-epoch', runId: 3, epoch: epochRow(0, 1, 0.5) });
    await vi.advanceTimersByTimeAsync(0);
    expect(state.error).toBeNull();
  });
});

describe('loadRange', () => {
  test('refetches the visible steps of every shown series and puts them in place of the overview there', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab, { maxPoints: 800 });
    await state.select([1, 3]);
    // The lab now has other values at steps 1 and 2 (as full resolution would differ from the overview).
    lab.curves.set(1, { ...lab.curves.get(1)!, series: { ...lab.curves.get(1)!.series, loss: stepPoints([9, 8, 7]) } });
    await state.loadRange(0.6, 2.2);
    expect(lab.callsOf('readCurves').at(-1)).toEqual({ runIds: [1, 3], maxPoints: 800, stepRange: { from: 0, to: 3 } });
    await state.loadRange(1, 2);
    expect(state.curves.get(1)!.series['loss']!.map((p) => [p.step, p.value])).toEqual([
      [0, 9],
      [1, 8],
      [2, 7],
    ]);
    // Run 3 has one step (0), outside 1..2: its overview point stays.
    expect(state.curves.get(3)!.series['loss']!.map((p) => [p.step, p.value])).toEqual([[0, 3]]);
  });

  test('a zoom on the step axis fetches its range once it has settled; zooming out or another axis fetches nothing', async () => {
    vi.useFakeTimers();
    try {
      const lab = labWithRuns();
      const state = new CompareState(lab);
      state.connect();
      await state.select([1]);
      const before = lab.callsOf('readCurves').length;
      state.chartView.setZoom('loss', { min: 0.2, max: 1.6 });
      state.chartView.setZoom('loss', { min: 0.4, max: 1.5 });
      await vi.advanceTimersByTimeAsync(100);
      expect(lab.callsOf('readCurves')).toHaveLength(before);
      await vi.advanceTimersByTimeAsync(200);
      expect(lab.callsOf('readCurves')).toHaveLength(before + 1);
      expect(lab.callsOf('readCurves').at(-1)).toMatchObject({ stepRange: { from: 0, to: 2 } });
      state.chartView.setZoom('loss', null);
      state.setXAxis('seconds');
      state.chartView.setZoom('loss', { min: 0, max: 1 });
      await vi.advanceTimersByTimeAsync(1000);
      expect(lab.callsOf('readCurves')).toHaveLength(before + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  test('drops an answer overtaken by a new selection', async () => {
    const lab = labWithRuns();
    const state = new CompareState(lab);
    await state.select([1]);
    const loading = state.loadRange(0, 1);
    await state.select([2]);
    await loading;
    expect([...state.curves.keys()]).toEqual([2]);
  });
});
