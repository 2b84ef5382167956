import { describe, expect, test } from 'vitest';
import { makeRun } from '../lab/fakeLabClient.testkit';
import { experimentProgress, runPace } from './runPace';
import type { LiveProgress } from './runRows';

const live = (step: number, totalSteps: number, seconds: number, loss: number | null = 0.5): LiveProgress => ({ step, totalSteps, epoch: 0, loss, accuracy: null, seconds });

describe('runPace', () => {
  test('steps per second since the start, the time left at that pace, and the latest loss', () => {
    // 100 steps (0…99) in 20 s: 5 steps/s; 300 steps left: 60 s.
    expect(runPace(live(99, 400, 20, 1.25))).toEqual({ stepsPerSecond: 5, etaSeconds: 60, loss: 1.25 });
  });
  test('nothing before a step has taken time or without progress', () => {
    expect(runPace(live(0, 400, 0))).toBeNull();
    expect(runPace(undefined)).toBeNull();
  });
});

describe('experimentProgress', () => {
  test('runs ended out of all, and the steps left over the summed pace of the training runs', () => {
    const runs = [
      makeRun({ id: 1, status: 'completed', totalSteps: 100, storedSteps: 100 }),
      makeRun({ id: 2, status: 'diverged', totalSteps: 100, storedSteps: 30 }),
      makeRun({ id: 3, status: 'running', totalSteps: 100, storedSteps: 40 }),
      makeRun({ id: 4, status: 'running', totalSteps: 100, storedSteps: 10 }),
      makeRun({ id: 5, status: 'queued', totalSteps: null, storedSteps: 0 }),
    ];
    // Run 3: 50 done at 5 steps/s, 50 left; run 4: 20 done at 5 steps/s, 80 left; run 5 queued: 100 (the mean total).
    const progress = experimentProgress(runs, { 3: live(49, 100, 10), 4: live(19, 100, 4) });
    expect(progress).toEqual({ done: 2, total: 5, etaSeconds: (50 + 80 + 100) / 10 });
  });
  test('no time left to say while no run trains at a known pace; nothing once all ended', () => {
    expect(experimentProgress([makeRun({ id: 1, status: 'queued', totalSteps: null })], {})).toEqual({ done: 0, total: 1, etaSeconds: null });
    expect(experimentProgress([makeRun({ id: 1, status: 'running', totalSteps: 10 })], {})).toEqual({ done: 0, total: 1, etaSeconds: null });
    expect(experimentProgress([makeRun({ id: 1, status: 'completed' })], {})).toBeNull();
  });
});
