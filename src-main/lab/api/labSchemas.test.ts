import { describe, expect, it } from 'vitest';
import { runSpecLimits } from '../../shared/runSpecLimits';
import { normalizeRuns, requestStructure } from '../runSpec/normalizeRuns';
import { mnistShapes } from '../runSpec/runRequests.testkit';
import type { RunsRequest } from './labApi';
import { labSchemas } from './labSchemas';

/** lr × momentum × rho, each with `values` values, for `seeds` seeds: values³ × seeds runs. */
function sweep(values: number, seeds: number): RunsRequest {
  const grid = (scale: number) => Array.from({ length: values }, (_, i) => (i + 1) / (scale * values));
  return {
    base: { dataset: 'mnist', arch: 'mlp', steps: 1 },
    optimizers: [{ name: 'curveball', grid: { lr: grid(1), momentum: grid(2), rho: grid(4) } }],
    seeds: Array.from({ length: seeds }, (_, i) => i),
  };
}

function issues(schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown) {
  return (schema.safeParse(value).error?.issues ?? []).map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
}

describe('labSchemas: what one request may ask for', () => {
  it('refuses a sweep of 3 grid keys × 50 values × 100 seeds (12,500,000 runs) at once, without expanding it', () => {
    const started = performance.now();
    expect(issues(labSchemas.startRuns, sweep(50, 100))).toEqual([
      { field: '', message: 'the request expands to 12,500,000 runs (grid combinations × seeds); at most 5,000' },
    ]);
    // checkRuns reports the same issue, and normalizeRuns makes no combination of the refused request.
    const verdict = normalizeRuns(requestStructure({ ...sweep(50, 100), base: { dataset: 'mnist', arch: 'mlp', steps: 0 } }), mnistShapes);
    expect(verdict.issues.map((i) => i.message)).toContain('the request expands to 12,500,000 runs (grid combinations × seeds); at most 5,000');
    expect(verdict.runCount).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('counts runs as grid combinations of every optimizer entry times the seeds: at the cap passes, one above fails', () => {
    expect(runSpecLimits.maxRuns).toBe(5000);
    // 10 × 10 × 10 combinations × 5 seeds = 5,000 runs; × 6 seeds = 6,000.
    expect(issues(labSchemas.startRuns, sweep(10, 5))).toEqual([]);
    expect(issues(labSchemas.startRuns, sweep(10, 6))).toEqual([
      { field: '', message: 'the request expands to 6,000 runs (grid combinations × seeds); at most 5,000' },
    ]);
    const twoEntries: RunsRequest = { ...sweep(10, 3), optimizers: [...sweep(10, 3).optimizers, { name: 'sgd', grid: { lr: [0.1, 0.2] } }] };
    // (1,000 + 2) × 3 = 3,006 runs.
    expect(issues(labSchemas.startRuns, twoEntries)).toEqual([]);
    expect(issues(labSchemas.startRuns, { ...twoEntries, seeds: [0, 1, 2, 3, 4] })).toEqual([
      { field: '', message: 'the request expands to 5,010 runs (grid combinations × seeds); at most 5,000' },
    ]);
  });

  it('refuses a run id given twice to readCurves and listSeries, at its second place', () => {
    const ids = [...Array.from({ length: 499 }, (_, i) => i + 1), 7];
    expect(issues(labSchemas.readCurves, { runIds: ids, maxPoints: 100 })).toEqual([{ field: 'runIds.499', message: 'run id 7 is listed twice' }]);
    expect(issues(labSchemas.listSeries, { runIds: Array(500).fill(3) })[0]).toEqual({ field: 'runIds.1', message: 'run id 3 is listed twice' });
    expect(issues(labSchemas.readCurves, { runIds: [1, 2, 3], maxPoints: 100 })).toEqual([]);
  });

  it('bounds the points of one readCurves call per series: runs × maxPoints at most 2,000,000', () => {
    const runs = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(issues(labSchemas.readCurves, { runIds: runs(500), maxPoints: 4000 })).toEqual([]);
    expect(issues(labSchemas.readCurves, { runIds: runs(20), maxPoints: 100_000 })).toEqual([]);
    expect(issues(labSchemas.readCurves, { runIds: runs(500), maxPoints: 4001 })).toEqual([
      { field: 'maxPoints', message: 'at most 2,000,000 points per series in one call (runIds × maxPoints): ask for fewer runs or fewer points' },
    ]);
  });
});
