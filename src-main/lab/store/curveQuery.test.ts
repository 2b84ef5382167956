import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore';
import type { Store } from './store';
import { sampleSpec, stepEvent } from './runFixtures.testkit';

let store: Store;
let runId: number;
// Steps 0..9; the ends stand out so keeping them is visible.
const losses = [10, 1, 2, 3, 4, 5, 6, 7, 8, 100];

beforeEach(() => {
  store = openStore(':memory:');
  runId = store.createRun(store.createExperiment({ name: 'e' }).id, sampleSpec).id;
  const recorder = store.recordRun(runId);
  losses.forEach((loss, step) => recorder.record(stepEvent(step, loss, { rho: loss * 2 })));
  recorder.close();
});
afterEach(() => store.close());

describe('readCurve', () => {
  it('returns every point when there are no more than maxPoints', () => {
    const points = store.readCurve(runId, { series: 'loss', maxPoints: 10 });
    expect(points.map((p) => [p.step, p.value, p.count])).toEqual(losses.map((v, i) => [i, v, 1]));
  });

  it('keeps first and last and averages equal buckets between them', () => {
    // 8 interior points into 4 buckets of 2: steps {1,2} {3,4} {5,6} {7,8}.
    // The fixture's step s ends at s/10 seconds after 2(s+1) passes (forward + backward).
    const bucket = (step: number, value: number, min: number, max: number, count: number) => ({
      step, epochIndex: 0, seconds: step / 10, passes: 2 * (step + 1), value, min, max, count,
    });
    const points = store.readCurve(runId, { series: 'loss', maxPoints: 6 });
    expect(points.map((p) => ({ ...p, seconds: Number(p.seconds.toFixed(12)) }))).toEqual([
      bucket(0, 10, 10, 10, 1),
      bucket(1.5, 1.5, 1, 2, 2),
      bucket(3.5, 3.5, 3, 4, 2),
      bucket(5.5, 5.5, 5, 6, 2),
      bucket(7.5, 7.5, 7, 8, 2),
      bucket(9, 100, 100, 100, 1),
    ]);
  });

  it('splits uneven buckets by position and reads trace series the same way', () => {
    // 8 interior points into 3 buckets: ⌊(k−1)·3/8⌋ gives {1,2,3} {4,5,6} {7,8}; rho = 2·loss.
    const points = store.readCurve(runId, { series: 'rho', maxPoints: 5 });
    expect(points.map((p) => [p.step, p.value, p.count])).toEqual([
      [0, 20, 1],
      [2, 4, 3],
      [5, 10, 3],
      [7.5, 15, 2],
      [9, 200, 1],
    ]);
    expect(points.map((p) => p.passes)).toEqual([2, 6, 12, 17, 20]);
  });

  it('maxPoints = 2 gives the first and last point; never more than maxPoints', () => {
    expect(store.readCurve(runId, { series: 'loss', maxPoints: 2 }).map((p) => p.value)).toEqual([10, 100]);
    for (let m = 2; m <= 12; m++) expect(store.readCurve(runId, { series: 'loss', maxPoints: m }).length).toBe(Math.min(m, 10));
    expect(() => store.readCurve(runId, { series: 'loss', maxPoints: 1 })).toThrow(RangeError);
  });

  it('skips missing values (accuracy of a regression run) and unknown series are empty', () => {
    expect(store.readCurve(runId, { series: 'accuracy', maxPoints: 5 })).toEqual([]);
    expect(store.readCurve(runId, { series: 'no-such-trace', maxPoints: 5 })).toEqual([]);
  });
});
