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

  it('reads only the steps of a step range, bucketed within it, and keeps a spike in its bucket max', () => {
    // Steps 2..7 (losses 2..7), 6 points: all of them with maxPoints ≥ 6.
    expect(store.readCurve(runId, { series: 'loss', maxPoints: 6, stepRange: { from: 2, to: 7 } }).map((p) => p.step)).toEqual([2, 3, 4, 5, 6, 7]);
    // Into 4: ends 2 and 7 as they are, steps 3..6 into 2 buckets {3,4} {5,6}.
    const points = store.readCurve(runId, { series: 'rho', maxPoints: 4, stepRange: { from: 2, to: 7 } });
    expect(points.map((p) => [p.step, p.value, p.min, p.max, p.count])).toEqual([
      [2, 4, 4, 4, 1],
      [3.5, 7, 6, 8, 2],
      [5.5, 11, 10, 12, 2],
      [7, 14, 14, 14, 1],
    ]);
    // Steps 1..8 into 3 points: 1, the interior {2..7} as one bucket (mean 4.5, min 2, max 7), 8; the
    // whole run into 3: 0 (loss 10), {1..8}, 9 whose spike of 100 stays its own point.
    expect(store.readCurve(runId, { series: 'loss', maxPoints: 3, stepRange: { from: 1, to: 8 } }).map((p) => [p.value, p.min, p.max])).toEqual([
      [1, 1, 1],
      [4.5, 2, 7],
      [8, 8, 8],
    ]);
    expect(store.readCurve(runId, { series: 'loss', maxPoints: 5, stepRange: { from: 20, to: 30 } })).toEqual([]);
    expect(() => store.readCurve(runId, { series: 'loss', maxPoints: 5, stepRange: { from: 5, to: 4 } })).toThrow(RangeError);
  });

  it('gives the same points as columns, with fractional epochs for the lab', () => {
    const columns = store.readRunCurveColumns({ id: runId, stepsPerEpoch: 4 }, { series: 'loss', maxPoints: 4, stepRange: { from: 2, to: 7 } });
    expect([...columns.step]).toEqual([2, 3.5, 5.5, 7]);
    expect([...columns.epoch]).toEqual([0.75, 1.125, 1.625, 2]);
    expect([...columns.max]).toEqual([2, 4, 6, 7]);
    expect([...columns.count]).toEqual([1, 2, 2, 1]);
  });

  it('skips missing values (accuracy of a regression run) and unknown series are empty', () => {
    expect(store.readCurve(runId, { series: 'accuracy', maxPoints: 5 })).toEqual([]);
    expect(store.readCurve(runId, { series: 'no-such-trace', maxPoints: 5 })).toEqual([]);
  });
});
