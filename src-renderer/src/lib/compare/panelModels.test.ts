import type { EpochPoint, RunCurves } from '$api/labApi';
import { describe, expect, test } from 'vitest';
import { stepPoints } from '../lab/fakeLabClient.testkit';
import type { PanelSpec } from './comparePanels';
import { buildPanelModels, flatYBounds, sharedXRange, type PanelModel, type PlotSettings } from './panelModels';
import type { PlotEntry } from './runGrouping';

const lossPanel: PanelSpec = { id: 'loss', title: 'Training loss', source: { kind: 'step', series: 'loss' } };
const valPanel: PanelSpec = { id: 'val_loss', title: 'Validation loss', source: { kind: 'epoch', field: 'valLoss' } };
const settings: PlotSettings = { xAxis: 'step', smoothing: 0, logY: false, showBand: true, band: 'minmax' };

function epochs(valLosses: (number | null)[]): EpochPoint[] {
  return valLosses.map((valLoss, i) => ({ epoch: i, steps: 10 * (i + 1), seconds: 5 * (i + 1), passes: 30 * (i + 1), trainLoss: null, trainAccuracy: null, valLoss, valAccuracy: null }));
}

function curvesOf(list: RunCurves[]): Map<number, RunCurves> {
  return new Map(list.map((c) => [c.runId, c]));
}

const single = (id: number): PlotEntry => ({ key: `run:${id}`, label: `#${id}`, color: 'red', runIds: [id], grouped: false, mixes: [] });
const group: PlotEntry = { key: 'group:optimizer:sgd', label: 'sgd', color: 'blue', runIds: [1, 2], grouped: true, mixes: [] };

function dataset(panel: PanelModel, id: string) {
  const d = panel.datasets.find((x) => x.id === id);
  if (!d) throw new Error(`no dataset ${id} in ${panel.datasets.map((x) => x.id).join(', ')}`);
  return d;
}

describe('buildPanelModels', () => {
  test('one run, no smoothing: one line at the chosen x', () => {
    const curves = curvesOf([{ runId: 1, series: { loss: stepPoints([3, 2, 1]) }, epochs: [] }]);
    const [panel] = buildPanelModels([lossPanel], [single(1)], curves, { ...settings, xAxis: 'passes' });
    expect(panel.datasets.map((d) => d.id)).toEqual(['run:1|line']);
    // stepPoints: passes = 3·(i + 1).
    expect(dataset(panel, 'run:1|line').points).toEqual([
      { x: 3, y: 3 },
      { x: 6, y: 2 },
      { x: 9, y: 1 },
    ]);
  });

  test('smoothing on: the raw curve behind, the debiased EMA in front', () => {
    const curves = curvesOf([{ runId: 1, series: { loss: stepPoints([1, 2, 3]) }, epochs: [] }]);
    const [panel] = buildPanelModels([lossPanel], [single(1)], curves, { ...settings, smoothing: 0.5 });
    expect(panel.smoothed).toBe(true);
    expect(panel.datasets.map((d) => d.role)).toEqual(['raw', 'line']);
    expect(dataset(panel, 'run:1|raw').points.map((p) => p.y)).toEqual([1, 2, 3]);
    const smoothed = dataset(panel, 'run:1|line').points.map((p) => p.y);
    // By hand (w = 0.5): 1, 1.25/0.75, 2.125/0.875.
    expect(smoothed[0]).toBe(1);
    expect(smoothed[1]).toBeCloseTo(5 / 3, 12);
    expect(smoothed[2]).toBeCloseTo(17 / 7, 12);
  });

  test('a group: mean line and min–max band across its runs', () => {
    const curves = curvesOf([
      { runId: 1, series: { loss: stepPoints([1, 3]) }, epochs: [] },
      { runId: 2, series: { loss: stepPoints([3, 5, 4]) }, epochs: [] },
    ]);
    const [panel] = buildPanelModels([lossPanel], [group], curves, settings);
    expect(panel.datasets.map((d) => d.role)).toEqual(['band-min', 'band-max', 'line']);
    expect(dataset(panel, 'group:optimizer:sgd|line').points).toEqual([
      { x: 0, y: 2 },
      { x: 1, y: 4 },
      { x: 2, y: 4 },
    ]);
    expect(dataset(panel, 'group:optimizer:sgd|line').label).toBe('sgd (mean of 2)');
    expect(dataset(panel, 'group:optimizer:sgd|band-min').points.map((p) => p.y)).toEqual([1, 3, 4]);
    expect(dataset(panel, 'group:optimizer:sgd|band-max').points.map((p) => p.y)).toEqual([3, 5, 4]);

    const [noBand] = buildPanelModels([lossPanel], [group], curves, { ...settings, showBand: false });
    expect(noBand.datasets.map((d) => d.role)).toEqual(['line']);
  });

  test('an SD band around the mean, with the run count where it changes', () => {
    // x=0: 1, 3 → mean 2, sd √2. x=1: 3, 5 → mean 4, sd √2. x=2: run 2 alone (4): no spread, n = 1.
    const curves = curvesOf([
      { runId: 1, series: { loss: stepPoints([1, 3]) }, epochs: [] },
      { runId: 2, series: { loss: stepPoints([3, 5, 4]) }, epochs: [] },
    ]);
    const [panel] = buildPanelModels([lossPanel], [group], curves, { ...settings, band: 'sd' });
    const low = dataset(panel, 'group:optimizer:sgd|band-min');
    const high = dataset(panel, 'group:optimizer:sgd|band-max');
    expect(low.points.map((p) => p.y)).toEqual([2 - Math.SQRT2, 4 - Math.SQRT2, 4]);
    expect(high.points.map((p) => p.y)).toEqual([2 + Math.SQRT2, 4 + Math.SQRT2, 4]);
    expect([low.label, high.label]).toEqual(['sgd (mean − SD)', 'sgd (mean + SD)']);
    expect(dataset(panel, 'group:optimizer:sgd|line').counts).toEqual([
      { x: 0, count: 2 },
      { x: 2, count: 1 },
    ]);
  });

  test('a smoothed group: each run smoothed, then averaged; the raw line is the mean of the raw runs', () => {
    const curves = curvesOf([
      { runId: 1, series: { loss: stepPoints([1, 2]) }, epochs: [] },
      { runId: 2, series: { loss: stepPoints([3, 6]) }, epochs: [] },
    ]);
    const [panel] = buildPanelModels([lossPanel], [group], curves, { ...settings, smoothing: 0.5 });
    // Run 1 smoothed: 1, 5/3. Run 2 smoothed: 3, (0.75 + 3)/0.75 = 5.
    expect(dataset(panel, 'group:optimizer:sgd|raw').points.map((p) => p.y)).toEqual([2, 4]);
    const mean = dataset(panel, 'group:optimizer:sgd|line').points.map((p) => p.y);
    expect(mean[0]).toBe(2);
    expect(mean[1]).toBeCloseTo((5 / 3 + 5) / 2, 12);
    expect(dataset(panel, 'group:optimizer:sgd|band-min').points[1].y).toBeCloseTo(5 / 3, 12);
  });

  test('log y leaves out non-positive values, from the band as a whole', () => {
    const curves = curvesOf([
      { runId: 1, series: { loss: stepPoints([-1, 2, 0]) }, epochs: [] },
      { runId: 2, series: { loss: stepPoints([3, 4, 8]) }, epochs: [] },
    ]);
    const [panel] = buildPanelModels([lossPanel], [group], curves, { ...settings, logY: true });
    // Means 1, 3, 4 are all positive; the band's min is −1 and 0 at x = 0 and 2.
    expect(dataset(panel, 'group:optimizer:sgd|line').points.map((p) => p.x)).toEqual([0, 1, 2]);
    expect(dataset(panel, 'group:optimizer:sgd|band-min').points).toEqual([{ x: 1, y: 2 }]);
    expect(dataset(panel, 'group:optimizer:sgd|band-max').points).toEqual([{ x: 1, y: 4 }]);

    const [alone] = buildPanelModels([lossPanel], [single(1)], curves, { ...settings, logY: true });
    expect(alone.datasets[0].points).toEqual([{ x: 1, y: 2 }]);
  });

  test('validation: per-epoch points at the end of each epoch, never smoothed, missing values skipped', () => {
    const curves = curvesOf([{ runId: 1, series: {}, epochs: epochs([0.9, null, 0.5]) }]);
    const [panel] = buildPanelModels([valPanel], [single(1)], curves, { ...settings, xAxis: 'epoch', smoothing: 0.9 });
    expect(panel.smoothed).toBe(false);
    expect(panel.datasets.map((d) => d.role)).toEqual(['line']);
    expect(panel.datasets[0].points).toEqual([
      { x: 1, y: 0.9 },
      { x: 3, y: 0.5 },
    ]);
  });

  test('an entry without points in a panel has no dataset there', () => {
    const curves = curvesOf([
      { runId: 1, series: { loss: stepPoints([1]), rho: stepPoints([0.9]) }, epochs: [] },
      { runId: 2, series: { loss: stepPoints([1]) }, epochs: [] },
    ]);
    const rhoPanel: PanelSpec = { id: 'rho', title: 'rho', source: { kind: 'step', series: 'rho' } };
    const [rho] = buildPanelModels([rhoPanel], [single(1), single(2)], curves, settings);
    expect(rho.datasets.map((d) => d.id)).toEqual(['run:1|line']);
  });
});

test('sharedXRange spans every panel', () => {
  const curves = curvesOf([{ runId: 1, series: { loss: stepPoints([1, 2, 3]) }, epochs: epochs([0.5]) }]);
  const panels = buildPanelModels([lossPanel, valPanel], [single(1)], curves, settings);
  // Steps 0..2; the epoch ended after 10 steps.
  expect(sharedXRange(panels)).toEqual({ min: 0, max: 10 });
  expect(sharedXRange([])).toBeNull();
});

test('sharedXRange starts at 0 when the data starts just above it', () => {
  const curves = curvesOf([{ runId: 1, series: { loss: stepPoints([1, 2, 3]) }, epochs: [] }]);
  // passes 3, 6, 9: 3 is more than 5% of 9, so the range stays; 2..2000 starts at 0.
  expect(sharedXRange(buildPanelModels([lossPanel], [single(1)], curves, { ...settings, xAxis: 'passes' }))).toEqual({ min: 3, max: 9 });
  const long = curvesOf([{ runId: 1, series: { loss: stepPoints(new Array(1000).fill(1), { passesPerStep: 2 }) }, epochs: [] }]);
  expect(sharedXRange(buildPanelModels([lossPanel], [single(1)], long, { ...settings, xAxis: 'passes' }))).toEqual({ min: 0, max: 2000 });
});

test('flatYBounds: a constant panel is centred with ±10% (×2 on log), a varying one is left alone', () => {
  const flat = curvesOf([{ runId: 1, series: { loss: stepPoints([0.1, 0.1, 0.1]) }, epochs: [] }]);
  const [panel] = buildPanelModels([lossPanel], [single(1)], flat, settings);
  const linear = flatYBounds(panel, false);
  expect(linear?.min).toBeCloseTo(0.09, 12);
  expect(linear?.max).toBeCloseTo(0.11, 12);
  expect(flatYBounds(panel, true)).toEqual({ min: 0.05, max: 0.2 });

  const zeros = curvesOf([{ runId: 1, series: { loss: stepPoints([0, 0]) }, epochs: [] }]);
  expect(flatYBounds(buildPanelModels([lossPanel], [single(1)], zeros, settings)[0], false)).toEqual({ min: -1, max: 1 });

  const varying = curvesOf([{ runId: 1, series: { loss: stepPoints([1, 2]) }, epochs: [] }]);
  expect(flatYBounds(buildPanelModels([lossPanel], [single(1)], varying, settings)[0], false)).toBeNull();
  expect(flatYBounds({ ...panel, datasets: [] }, false)).toBeNull();
});

describe('per-panel settings', () => {
  const lambdaPanel: PanelSpec = { id: 'lambda', title: 'λ', source: { kind: 'step', series: 'lambda' } };
  const run = (id: number, lambda: number[], loss: number[]): RunCurves => ({
    runId: id,
    series: { loss: stepPoints(loss), lambda: stepPoints(lambda) },
    epochs: [],
  });

  test('smoothing applies to the loss by default but not to a trace, unless the panel asks for it', () => {
    const curves = curvesOf([run(1, [1, 1, 0.5, 0.5], [4, 2, 1, 1])]);
    const [loss, lambda] = buildPanelModels([lossPanel, lambdaPanel], [single(1)], curves, { ...settings, smoothing: 0.5 });
    expect([loss.smoothed, lambda.smoothed]).toEqual([true, false]);
    // λ's one change stays a step, not an exponential decay.
    expect(dataset(lambda, 'run:1|line').points.map((p) => p.y)).toEqual([1, 1, 0.5, 0.5]);
    const [, smoothedLambda] = buildPanelModels([lossPanel, lambdaPanel], [single(1)], curves, {
      ...settings,
      smoothing: 0.5,
      panelOptions: new Map([['lambda', { smooth: true }]]),
    });
    expect(smoothedLambda.smoothed).toBe(true);
  });

  test('log y per panel, counting the points ≤ 0 it cannot draw', () => {
    const curves = curvesOf([run(1, [1, -0.5, 0, 2], [4, 2, 1, 1])]);
    const [loss, lambda] = buildPanelModels([lossPanel, lambdaPanel], [single(1)], curves, { ...settings, panelOptions: new Map([['lambda', { logY: true }]]) });
    expect([loss.options?.logY, lambda.options?.logY]).toEqual([false, true]);
    expect(lambda.hiddenOnLog).toBe(2);
    expect(dataset(lambda, 'run:1|line').points.map((p) => p.y)).toEqual([1, 2]);
    expect(loss.hiddenOnLog).toBe(0);
  });

  test('a series with one value throughout, in every run, is marked constant', () => {
    const curves = curvesOf([run(1, [0.1, 0.1, 0.1], [3, 2, 1]), run(2, [0.1, 0.1], [3, 2])]);
    const entries = [single(1), single(2)];
    const [loss, lambda] = buildPanelModels([lossPanel, lambdaPanel], entries, curves, settings);
    expect(lambda.constant).toBe(0.1);
    expect(loss.constant).toBeNull();
    const differs = curvesOf([run(1, [0.1, 0.1], [1, 1]), run(2, [0.01, 0.01], [1, 1])]);
    expect(buildPanelModels([lambdaPanel], entries, differs, settings)[0].constant).toBeNull();
    // No points at all is not a constant.
    expect(buildPanelModels([valPanel], entries, curves, settings)[0].constant).toBeNull();
  });
});
