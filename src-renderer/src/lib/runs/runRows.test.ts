import { describe, expect, test } from 'vitest';
import { makeExperiment, makeRun, makeSpec } from '../lab/fakeLabClient.testkit';
import { architectureLabel, datasetLabel, nextSort, runDurationMs, runMatches, runProgress, sortRuns } from './runRows';

describe('labels', () => {
  test('architecture: preset with options, or a custom spec', () => {
    expect(architectureLabel(makeSpec({ arch: 'mlp' }))).toBe('mlp');
    expect(architectureLabel(makeSpec({ arch: 'mlp', archOptions: { widths: '32,32', activation: 'tanh' } }))).toBe('mlp (widths=32,32, activation=tanh)');
    expect(architectureLabel(makeSpec({ arch: { inputShape: [4], layers: [{ type: 'dense', units: 3 }, { type: 'relu' }] } }))).toBe('custom (2 layers)');
  });

  test('dataset: the name, or the last part of its path', () => {
    expect(datasetLabel(makeSpec({ dataset: 'mnist' }))).toBe('mnist');
    expect(datasetLabel(makeSpec({ dataset: '/data/fashion/' }))).toBe('fashion');
    expect(datasetLabel(makeSpec({ dataset: 'C:\\data\\iris.csv' }))).toBe('iris.csv');
  });
});

describe('duration', () => {
  const start = '2026-01-01T10:00:00.000Z';
  test('start to end for a finished run', () => {
    expect(runDurationMs(makeRun({ status: 'completed', startedAt: start, endedAt: '2026-01-01T10:03:05.000Z' }), 0)).toBe(185_000);
  });
  test('start to now while running; nothing before it starts', () => {
    expect(runDurationMs(makeRun({ status: 'running', startedAt: start }), Date.parse(start) + 9_400)).toBe(9_400);
    expect(runDurationMs(makeRun({ status: 'queued' }), Date.now())).toBeNull();
  });
});

describe('progress', () => {
  test('the live step (0-based) when it is ahead of the stored rows', () => {
    const run = makeRun({ status: 'running', totalSteps: 200, storedSteps: 40 });
    expect(runProgress(run, undefined)).toEqual({ done: 40, total: 200, fraction: 0.2 });
    expect(runProgress(run, { step: 99, totalSteps: 200, epoch: 0, loss: 1, accuracy: null, seconds: 3 })).toEqual({ done: 100, total: 200, fraction: 0.5 });
    expect(runProgress(run, { step: 10, totalSteps: 200, epoch: 0, loss: 1, accuracy: null, seconds: 3 })).toEqual({ done: 40, total: 200, fraction: 0.2 });
  });
  test('unknown before the run starts', () => {
    expect(runProgress(makeRun({ status: 'queued', totalSteps: null }), undefined)).toBeNull();
  });
});

describe('filter', () => {
  const experiment = makeExperiment({ name: 'Sweep on MNIST', tags: ['baseline'] });
  const run = makeRun({ id: 12, status: 'running', optimizer: 'curveball', spec: makeSpec({ optimizer: 'curveball', seed: 3 }), tags: ['paper'], notes: 'lambda too small?' });

  test('every word must match somewhere, case-insensitively', () => {
    expect(runMatches(run, experiment, '', 'all')).toBe(true);
    expect(runMatches(run, experiment, 'CurveBall', 'all')).toBe(true);
    expect(runMatches(run, experiment, 'curveball paper', 'all')).toBe(true);
    expect(runMatches(run, experiment, 'curveball adam', 'all')).toBe(false);
    expect(runMatches(run, experiment, 'baseline', 'all')).toBe(true);
    expect(runMatches(run, experiment, 'mnist sweep', 'all')).toBe(true);
    expect(runMatches(run, experiment, '#12', 'all')).toBe(true);
    expect(runMatches(run, experiment, 'seed 3', 'all')).toBe(true);
    expect(runMatches(run, experiment, 'small?', 'all')).toBe(true);
  });

  test('status: one status, active (queued or running) or finished', () => {
    expect(runMatches(run, experiment, '', 'running')).toBe(true);
    expect(runMatches(run, experiment, '', 'active')).toBe(true);
    expect(runMatches(run, experiment, '', 'finished')).toBe(false);
    expect(runMatches(run, experiment, '', 'completed')).toBe(false);
    expect(runMatches(makeRun({ status: 'diverged' }), experiment, '', 'finished')).toBe(true);
  });

  test('the worker that trains a run finds it', () => {
    expect(runMatches(makeRun({ worker: 'gpu-box-2' }), experiment, 'gpu-box-2', 'all')).toBe(true);
    expect(runMatches(makeRun({ worker: 'gpu-box-2' }), experiment, 'gpu-box-3', 'all')).toBe(false);
    expect(runMatches(run, experiment, 'gpu-box-2', 'all')).toBe(false);
  });
});

describe('sort', () => {
  const a = makeRun({ id: 1, optimizer: 'sgd', bestValAccuracy: 0.9, status: 'completed', spec: makeSpec({ seed: 2 }) });
  const b = makeRun({ id: 2, optimizer: 'adam', bestValAccuracy: null, status: 'running', spec: makeSpec({ seed: 0 }) });
  const c = makeRun({ id: 3, optimizer: 'curveball', bestValAccuracy: 0.95, status: 'queued', spec: makeSpec({ seed: 1 }) });
  const ids = (runs: { id: number }[]): number[] => runs.map((r) => r.id);

  test('by text, number and status order', () => {
    expect(ids(sortRuns([a, b, c], { key: 'optimizer', descending: false }, 0))).toEqual([2, 3, 1]);
    expect(ids(sortRuns([a, b, c], { key: 'optimizer', descending: true }, 0))).toEqual([1, 3, 2]);
    expect(ids(sortRuns([a, b, c], { key: 'seed', descending: false }, 0))).toEqual([2, 3, 1]);
    expect(ids(sortRuns([a, b, c], { key: 'status', descending: false }, 0))).toEqual([2, 3, 1]);
  });

  test('missing metrics go last in both directions', () => {
    expect(ids(sortRuns([b, a, c], { key: 'bestValAccuracy', descending: true }, 0))).toEqual([3, 1, 2]);
    expect(ids(sortRuns([b, a, c], { key: 'bestValAccuracy', descending: false }, 0))).toEqual([1, 3, 2]);
  });

  test('clicking a column header', () => {
    expect(nextSort({ key: 'id', descending: false }, 'id')).toEqual({ key: 'id', descending: true });
    expect(nextSort({ key: 'id', descending: false }, 'bestValAccuracy')).toEqual({ key: 'bestValAccuracy', descending: true });
    expect(nextSort({ key: 'id', descending: true }, 'valLoss')).toEqual({ key: 'valLoss', descending: false });
  });
});
