import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { ManualFrameScheduler } from './manualFrameScheduler.testkit';
import { PlaygroundState } from './playgroundState.svelte';

function createState() {
  const scheduler = new ManualFrameScheduler();
  return { scheduler, state: new PlaygroundState(scheduler) };
}

describe('PlaygroundState playback', () => {
  it('advances by elapsed time × speed and stops at the last step', () => {
    const { scheduler, state } = createState();
    state.setSteps(10);
    state.stepsPerSecond = 100; // one step per 10 ms
    state.play();
    expect(state.playing).toBe(true);
    scheduler.frame(1000); // the first frame only sets the clock
    expect(state.step).toBe(0);
    scheduler.frame(1035); // 3.5 steps owed: 3 now, ½ carried
    expect(state.step).toBe(3);
    scheduler.frame(1050); // 1.5 + ½ = 2 more
    expect(state.step).toBe(5);
    scheduler.frame(2000); // far past the end
    expect(state.step).toBe(10);
    expect(state.playing).toBe(false);
    expect(state.atEnd).toBe(true);
    expect(scheduler.pending).toBe(0);
  });

  it('restarts from step 0 when played at the end, and pauses without losing its place', () => {
    const { scheduler, state } = createState();
    state.setSteps(4);
    state.setStep(4);
    state.play();
    expect(state.step).toBe(0);
    scheduler.frame(0);
    scheduler.frame(1000 / state.stepsPerSecond + 1);
    expect(state.step).toBe(1);
    state.togglePlay();
    expect(state.playing).toBe(false);
    expect(scheduler.pending).toBe(0);
    expect(state.step).toBe(1);
  });

  it('stops playback when the slider is moved, and clamps the slider to 0…N', () => {
    const { state } = createState();
    state.play();
    state.setStep(500);
    expect(state.playing).toBe(false);
    expect(state.step).toBe(200);
    state.setStep(-3);
    expect(state.step).toBe(0);
  });

  it('goes back to step 0 on reset', () => {
    const { state } = createState();
    state.setStep(50);
    state.play();
    state.reset();
    expect(state.step).toBe(0);
    expect(state.playing).toBe(false);
  });
});

describe('PlaygroundState trajectories', () => {
  it('runs every shown optimizer for N steps from the function’s start', () => {
    const { state } = createState();
    expect(state.runs.map((run) => run.id)).toEqual(['sgd', 'momentum', 'adam', 'curveball']);
    for (const run of state.runs) {
      expect(run.trajectory.points).toHaveLength(201);
      expect(run.trajectory.points[0]).toEqual([-4, -1.2]);
    }
    state.setShown('newton', true);
    state.setShown('adam', false);
    flushSync();
    expect(state.runs.map((run) => run.id)).toEqual(['sgd', 'momentum', 'curveball', 'newton']);
  });

  it('resets trajectories, step and start when the function changes', () => {
    const { state } = createState();
    state.setStart([1, 1]);
    state.setStep(120);
    state.setFunction('rosenbrock');
    flushSync();
    expect(state.step).toBe(0);
    expect(state.playing).toBe(false);
    expect(state.usesCustomStart).toBe(false);
    for (const run of state.runs) {
      expect(run.trajectory.points[0]).toEqual([-1.2, 1]);
      expect(run.trajectory.values[0]).toBeCloseTo(24.2, 12);
    }
  });

  it('starts every optimizer from a picked point and plays from step 0', () => {
    const { state } = createState();
    state.setStep(30);
    state.setStart([2, 0.5]);
    flushSync();
    expect(state.step).toBe(0);
    expect(state.playing).toBe(true);
    for (const run of state.runs) expect(run.trajectory.points[0]).toEqual([2, 0.5]);
    state.useDefaultStart();
    flushSync();
    expect(state.runs[0].trajectory.points[0]).toEqual([-4, -1.2]);
    state.dispose();
  });

  it('recomputes a run when a setting changes, and keeps settings per function', () => {
    const { state } = createState();
    // SGD with lr 0.01 on the quadratic from (−4, −1.2): w₁ = w − 0.01·H·w; the default 0.038 differs.
    expect(state.setSetting('sgd', 'learningRate', 0.01)).toBeNull();
    flushSync();
    const [x, y] = [-4, -1.2];
    const H = state.fn.hessian([0, 0]);
    const expected = [x - 0.01 * (H.xx * x + H.xy * y), y - 0.01 * (H.xy * x + H.yy * y)];
    const w1 = state.runs[0].trajectory.points[1];
    expect(w1[0]).toBeCloseTo(expected[0], 12);
    expect(w1[1]).toBeCloseTo(expected[1], 12);

    state.setFunction('rosenbrock');
    expect(state.settingsFor('sgd').learningRate).toBe(0.0019);
    state.setFunction('quadratic');
    expect(state.settingsFor('sgd').learningRate).toBe(0.01);
    state.restoreDefaults('sgd');
    expect(state.settingsFor('sgd').learningRate).toBe(0.038);
  });

  it('rejects an out-of-range setting with a reason and keeps the last good value', () => {
    const { state } = createState();
    const problem = state.setSetting('momentum', 'momentum', 1.5);
    expect(problem).toBe('Momentum momentum μ must be from 0 to 0.999; got 1.5.');
    expect(state.problemFor('momentum', 'momentum')).toBe(problem);
    expect(state.settingsFor('momentum').momentum).toBe(0.9);
    expect(state.setSetting('momentum', 'momentum', 0.5)).toBeNull();
    expect(state.problemFor('momentum', 'momentum')).toBeNull();
  });

  it('rejects a step count that is not a whole number in range', () => {
    const { state } = createState();
    state.setStep(150);
    expect(state.setSteps(0)).toBe('Steps must be a whole number from 1 to 5000; got 0.');
    expect(state.setSteps(12.5)).toMatch(/^Steps must be a whole number/);
    expect(state.steps).toBe(200);
    expect(state.stepsProblem).toMatch(/^Steps must be a whole number/);
    expect(state.setSteps(100)).toBeNull();
    expect(state.stepsProblem).toBeNull();
    expect(state.step).toBe(100);
  });

  it('reports f, the distance to the minimum and when it was reached in the legend', () => {
    const { state } = createState();
    expect(state.legend.find((row) => row.id === 'curveball')!.reachedAt).toBeNull();
    state.setStep(200);
    flushSync();
    const curveball = state.legend.find((row) => row.id === 'curveball')!;
    const sgd = state.legend.find((row) => row.id === 'sgd')!;
    expect(curveball.value).toBeLessThan(1e-12);
    expect(curveball.distanceToMinimum).toBeLessThan(1e-6);
    expect(curveball.reachedAt).not.toBeNull();
    expect(curveball.reachedAt!).toBeLessThanOrEqual(10);
    expect(curveball.lambda).toBeGreaterThan(0);
    expect(sgd.lambda).toBeNull();
    // SGD after 200 steps: the flat direction shrinks by (1 − 0.038) per step from |u₀| ≈ 4.06.
    const flatStart = Math.abs(-4 * Math.cos(Math.PI / 6) - 1.2 * Math.sin(Math.PI / 6));
    expect(sgd.distanceToMinimum).toBeCloseTo(flatStart * (1 - 0.038) ** 200, 3);
  });
});
