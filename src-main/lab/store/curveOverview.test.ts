import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepEvent, TrainEvent } from '../../engine/train/trainEvents';
import type { StoredCurvePoint } from './curveQuery';
import { applyMigrations, defaultMigrationsDir, loadMigrations } from './migrations';
import { openStore } from './openStore';
import { sampleSpec } from './runFixtures.testkit';
import type { Store } from './store';
import { databaseOf } from './storeDatabase.testkit';

const steps = 10_000;
const spikeStep = 4321;
const loss = (s: number): number => (s === spikeStep ? 1000 : 2 + Math.sin(s / 97) + s / 5000);
const rho = (s: number): number => 0.9 + 0.05 * Math.cos(s / 31);
// Recorded every 10th step: 1,000 points over a span of 9,990 steps.
const lambda = (s: number): number => 10 * Math.exp(-s / 3000);

function step(s: number): StepEvent {
  return {
    type: 'step', step: s, epoch: Math.floor(s / 1000), loss: loss(s), accuracy: null, seconds: (s + 1) * 0.013,
    forwardPasses: s + 1, backwardPasses: s + 1, forwardModePasses: 0,
    trace: s % 10 === 0 ? { rho: rho(s), lambda: lambda(s) } : { rho: rho(s) },
  };
}

const done: TrainEvent = { type: 'done', status: 'completed', steps, trainLoss: 1, valLoss: 1, valAccuracy: null, seconds: 1, backend: 'cpu' } as TrainEvent;
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** The curve query's documented bucketing computed here from the formulas, independently of the store. */
function expected(series: (s: number) => number, stepsOf: number[], maxPoints: number): StoredCurvePoint[] {
  const n = stepsOf.length;
  const lo = stepsOf[0];
  const hi = stepsOf[n - 1];
  const buckets = new Map<number, number[]>();
  for (const s of stepsOf) {
    const b = n <= maxPoints ? s : s === lo ? 0 : s === hi ? maxPoints - 1 : maxPoints === 2 ? -1 : 1 + Math.floor(((s - lo - 1) * (maxPoints - 2)) / (hi - lo - 1));
    if (b < 0) continue;
    if (!buckets.has(b)) buckets.set(b, []);
    buckets.get(b)!.push(s);
  }
  return [...buckets.values()].map((group) => {
    const mean = (f: (s: number) => number): number => group.reduce((sum, s) => sum + f(s), 0) / group.length;
    const values = group.map(series);
    return {
      step: mean((s) => s), epochIndex: mean((s) => Math.floor(s / 1000)), seconds: mean((s) => (s + 1) * 0.013), passes: mean((s) => 2 * (s + 1)),
      value: mean(series), min: Math.min(...values), max: Math.max(...values), count: group.length,
    };
  });
}

/** Means agree to rounding (the store sums in another order); counts, mins and maxes exactly. */
function expectSame(actual: StoredCurvePoint[], wanted: StoredCurvePoint[]): void {
  expect(actual.length).toBe(wanted.length);
  const differing = actual.filter((point, i) => {
    const want = wanted[i];
    const close = (['step', 'epochIndex', 'seconds', 'passes', 'value'] as const).every((key) => Math.abs(point[key] - want[key]) <= 1e-12 * Math.max(1, Math.abs(want[key])));
    return !close || point.count !== want.count || point.min !== want.min || point.max !== want.max;
  });
  expect(differing).toEqual([]);
}

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

function newRun(): number {
  return store.createRun(store.createExperiment({ name: 'e' }).id, sampleSpec).id;
}

/** A run of `steps` steps recorded through the journal, ended with `done` unless told otherwise. */
function recordedRun(options: { end?: boolean; redeliver?: number[] } = {}): number {
  const runId = newRun();
  const journal = store.recordRun(runId);
  for (const s of range(0, steps)) journal.record(step(s));
  if (options.redeliver) {
    journal.flush();
    for (const s of options.redeliver) journal.record(step(s));
  }
  if (options.end === false) journal.close();
  else journal.record(done);
  return runId;
}

function overviewRows(runId: number): { series: string; bytes: number }[] {
  return databaseOf(store).prepare('SELECT series, length(buckets) AS bytes FROM curve_overviews WHERE run_id = ? ORDER BY series').all(runId) as {
    series: string;
    bytes: number;
  }[];
}

const everyStep = range(0, steps);
const everyTenth = everyStep.filter((s) => s % 10 === 0);
const whole = { from: 0, to: steps - 1 };

describe('curve overviews', () => {
  it('are written when a run ends, one per series with values, of at most 4,098 entries', () => {
    const runId = recordedRun();
    // 9 Float64 columns per entry; accuracy has no values.
    expect(overviewRows(runId)).toEqual([
      { series: 'lambda', bytes: 1000 * 9 * 8 },
      { series: 'loss', bytes: 4098 * 9 * 8 },
      { series: 'rho', bytes: 4098 * 9 * 8 },
    ]);
  });

  it('are stored at two resolutions: a coarse one of at most 1,026 entries beside the fine one', () => {
    const runId = recordedRun();
    const coarse = databaseOf(store).prepare('SELECT series, length(coarse) AS bytes FROM curve_overviews WHERE run_id = ? ORDER BY series').all(runId);
    // lambda's 1,000 points fit in either: every point kept.
    expect(coarse).toEqual([
      { series: 'lambda', bytes: 1000 * 9 * 8 },
      { series: 'loss', bytes: 1026 * 9 * 8 },
      { series: 'rho', bytes: 1026 * 9 * 8 },
    ]);
  });

  it('answer a read of 2 + a divisor of 1,024 points from the coarse overview, others from the fine one', () => {
    const runId = recordedRun();
    const read = (maxPoints: number): StoredCurvePoint[] => store.readCurve(runId, { series: 'loss', maxPoints });
    const [coarseRead, fineRead] = [read(514), read(720)];
    // An empty blob stands for an overview of no entries: the level read answers nothing.
    databaseOf(store).prepare("UPDATE curve_overviews SET buckets = x'' WHERE run_id = ?").run(runId);
    expect([read(514), read(720)]).toEqual([coarseRead, []]);
    databaseOf(store).prepare("UPDATE curve_overviews SET coarse = x'' WHERE run_id = ?").run(runId);
    expect([read(514), read(2), read(1026), read(1027)]).toEqual([[], [], [], []]);
    expect(fineRead).toHaveLength(720);
  });

  it('answer whole-curve reads as the raw rows do where bucket boundaries align: (maxPoints − 2) divides 4,096', () => {
    const runId = recordedRun();
    for (const m of [2, 3, 4, 6, 10, 66, 258, 514, 1026, 4098]) {
      for (const [series, f] of [['loss', loss], ['rho', rho]] as const) {
        const want = expected(f, everyStep, m);
        expectSame(store.readCurve(runId, { series, maxPoints: m }), want);
        // The raw rows (a step range always reads them) give the same.
        expectSame(store.readCurve(runId, { series, maxPoints: m, stepRange: whole }), want);
      }
      // maxPoints = 2 is the first and last point alone.
      const spiked = store.readCurve(runId, { series: 'loss', maxPoints: m }).filter((p) => p.max === 1000);
      expect(spiked.length).toBe(m === 2 ? 0 : 1);
    }
  });

  it('elsewhere move bucket boundaries by less than one overview entry (3 steps here), keeping every step once and the spike', () => {
    const runId = recordedRun();
    for (const m of [101, 720, 1000]) {
      const want = expected(loss, everyStep, m);
      const points = store.readCurve(runId, { series: 'loss', maxPoints: m });
      expect(points.length).toBe(want.length);
      expect(points.reduce((sum, p) => sum + p.count, 0)).toBe(steps);
      expect([points[0], points.at(-1)]).toEqual([want[0], want.at(-1)]);
      points.forEach((p, i) => {
        // A bucket's steps start and end 0..2 steps later than the raw rows' bucket's.
        expect(p.step - want[i].step).toBeGreaterThanOrEqual(0);
        expect(p.step - want[i].step).toBeLessThanOrEqual(2);
        expect(Math.abs(p.count - want[i].count)).toBeLessThanOrEqual(2);
      });
      const spiked = points.filter((p) => p.max === 1000);
      expect(spiked.length).toBe(1);
      expect(Math.abs(spiked[0].step - spikeStep)).toBeLessThanOrEqual(spiked[0].count);
      expect(Math.min(...points.map((p) => p.min))).toBe(Math.min(...everyStep.map(loss)));
    }
  });

  it('keep every point of a series of at most 4,098 points: exact for any maxPoints, with gaps between steps', () => {
    const runId = recordedRun();
    for (const m of [2, 3, 7, 100, 999, 1000, 1001, 5000]) {
      expectSame(store.readCurve(runId, { series: 'lambda', maxPoints: m }), expected(lambda, everyTenth, m));
    }
  });

  it('are read instead of the rows: with the rows gone behind the store, whole curves are unchanged and zoomed reads empty', () => {
    const runId = recordedRun();
    const before = ['loss', 'rho', 'lambda'].map((series) => store.readCurve(runId, { series, maxPoints: 720 }));
    databaseOf(store).prepare('DELETE FROM trace_values WHERE run_id = ?').run(runId);
    databaseOf(store).prepare('DELETE FROM step_metrics WHERE run_id = ?').run(runId);
    expect(['loss', 'rho', 'lambda'].map((series) => store.readCurve(runId, { series, maxPoints: 720 }))).toEqual(before);
    expect(store.readCurve(runId, { series: 'loss', maxPoints: 720, stepRange: whole })).toEqual([]);
    // More points than an overview holds: the rows.
    expect(store.readCurve(runId, { series: 'loss', maxPoints: 5000 })).toEqual([]);
  });

  it('are not written or read for a run still training', () => {
    const runId = recordedRun({ end: false });
    store.markRunStarted(runId, { backend: 'cpu' });
    expectSame(store.readCurve(runId, { series: 'loss', maxPoints: 66 }), expected(loss, everyStep, 66));
    expect(overviewRows(runId)).toEqual([]);
  });

  it('count a batch delivered twice once: the same overview as a run recorded once', () => {
    const once = recordedRun();
    const twice = recordedRun({ redeliver: range(4000, 6000) });
    const blobs = (runId: number): string[] =>
      databaseOf(store).prepare("SELECT series || ':' || hex(buckets) FROM curve_overviews WHERE run_id = ? ORDER BY series").pluck().all(runId) as string[];
    expect(blobs(twice).length).toBe(3);
    expect(blobs(twice).every((blob, i) => blob === blobs(once)[i])).toBe(true);
    expectSame(store.readCurve(twice, { series: 'loss', maxPoints: 514 }), expected(loss, everyStep, 514));
  });

  it('go with the rows: a requeued run, a new attempt, a deleted run have none', () => {
    const interrupted = newRun();
    const journal = store.recordRun(interrupted);
    for (const s of range(0, 100)) journal.record(step(s));
    journal.end({ status: 'interrupted', error: 'stopped' });
    expect(overviewRows(interrupted).map((r) => r.series)).toEqual(['lambda', 'loss', 'rho']);
    expect(store.requeueRun(interrupted, sampleSpec, process.pid)).toBe(true);
    expect(overviewRows(interrupted)).toEqual([]);

    const moved = recordedRun();
    expect(store.queue.beginAttempt(moved, 'w1#1', 'w1')).toBeNull();
    expect(overviewRows(moved).length).toBe(3);
    expect(store.queue.beginAttempt(moved, 'w2#1', 'w2')).toBe('w1#1');
    expect(overviewRows(moved)).toEqual([]);

    const deleted = recordedRun();
    store.deleteRun(deleted);
    expect(overviewRows(deleted)).toEqual([]);
  });
});

describe('a version 5 database', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'curvelab-overview-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its rows; an ended run gets its overview on its first whole-curve read, a running one none', () => {
    const file = join(dir, 'v5.db');
    const v5 = join(dir, 'migrations-v5');
    mkdirSync(v5);
    for (const m of loadMigrations(defaultMigrationsDir()).slice(0, 5)) copyFileSync(join(defaultMigrationsDir(), m.name), join(v5, m.name));
    const db = new Database(file);
    applyMigrations(db, loadMigrations(v5), file);
    db.prepare("INSERT INTO experiments (id, uid, name, created_at) VALUES (1, 'e1', 'before v6', '2026-01-01T00:00:00Z')").run();
    const insertRun = db.prepare("INSERT INTO runs (id, uid, experiment_id, spec, optimizer, status, created_at, pid) VALUES (?, ?, 1, ?, 'sgd', ?, '2026-01-01T00:00:00Z', ?)");
    insertRun.run(1, 'r1', JSON.stringify(sampleSpec), 'completed', null);
    insertRun.run(2, 'r2', JSON.stringify(sampleSpec), 'running', process.ppid); // an older CurveLab, still alive, trains it
    const insertStep = db.prepare('INSERT INTO step_metrics VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 0)');
    db.transaction(() => {
      for (const runId of [1, 2]) for (const s of everyStep) insertStep.run(runId, s, Math.floor(s / 1000), loss(s), (s + 1) * 0.013, s + 1, s + 1);
    })();
    db.close();

    store.close();
    store = openStore(file);
    expect(databaseOf(store).pragma('user_version', { simple: true })).toBe(loadMigrations(defaultMigrationsDir()).length);
    expect(databaseOf(store).prepare('SELECT run_id, COUNT(*) AS n FROM step_metrics GROUP BY run_id').all()).toEqual([
      { run_id: 1, n: steps },
      { run_id: 2, n: steps },
    ]);
    expect(overviewRows(1)).toEqual([]);
    for (const runId of [1, 2]) expectSame(store.readCurve(runId, { series: 'loss', maxPoints: 514 }), expected(loss, everyStep, 514));
    expect(overviewRows(1)).toEqual([{ series: 'loss', bytes: 4098 * 9 * 8 }]);
    expect(overviewRows(2)).toEqual([]);
  });
});
