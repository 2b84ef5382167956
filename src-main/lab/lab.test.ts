import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, RunInfo } from './api/labApi';
import { createLabDispatch, type LabDispatch } from './api/labDispatcher';
import { openLab, type Lab } from './lab';

let dir: string;
let lab: Lab;
let call: LabDispatch;
const events: LabEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-lab-'));
  lab = await openLab({ databasePath: join(dir, 'lab.db'), mode: 'web', backend: 'cpu', concurrency: 2 });
  lab.subscribe((e) => events.push(e));
  call = createLabDispatch(lab, () => {});
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

async function value<T>(method: string, payload?: unknown): Promise<T> {
  const response = await call(method, payload);
  if (!response.ok) throw new Error(`${method}: ${response.error.code}: ${response.error.message}`);
  return response.value as T;
}

const smallMlp = { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, batchSize: 32 };

describe('the Lab API', () => {
  it('reports the machine and the backend runs use, and lists the embedded dataset', async () => {
    const machine = await value<{ backend: { name: string; reason: string }; mode: string; cpus: number }>('getMachine');
    expect(machine.backend.name).toBe('cpu');
    expect(machine.backend.reason).toMatch(/requested/);
    expect(machine.mode).toBe('web');
    const datasets = await value<{ source: string; inputShape: number[] }[]>('listDatasets');
    expect(datasets.map((d) => d.source)).toEqual(['mnist']);
  });

  it('describes an architecture for a dataset: layers, output shapes, parameter count', async () => {
    const [mnist] = await value<{ id: number }[]>('listDatasets');
    const described = await value<{ layers: { type: string; outputShape: number[] }[]; paramCount: number; outputShape: number[] }>(
      'describeArchitecture',
      { arch: 'mlp', archOptions: { widths: '16' }, datasetId: mnist!.id },
    );
    // flatten 784 → dense 16 (784·16 + 16) → relu → dense 10 (16·10 + 10)
    expect(described.paramCount).toBe(784 * 16 + 16 + 16 * 10 + 10);
    expect(described.outputShape).toEqual([10]);
    expect(described.layers.at(-1)!.outputShape).toEqual([10]);
    const bad = await call('describeArchitecture', { arch: { layers: [{ type: 'dense', units: -3 }] }, inputShape: [4], outputSize: 2 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!bad.ok && bad.error.message).toMatch(/units/);
  });

  it('lists optimizers with their options, defaults and trace names', async () => {
    const optimizers = await value<{ name: string; traces: string[]; options: { name: string; default: unknown }[] }[]>('listOptimizers');
    const curveball = optimizers.find((o) => o.name === 'curveball')!;
    expect(curveball.traces).toEqual(expect.arrayContaining(['rho', 'beta', 'lambda']));
    expect(curveball.options.find((o) => o.name === 'lr')!.default).toBeNull();
    expect(optimizers.find((o) => o.name === 'sgd')!.options.find((o) => o.name === 'lr')!.default).toBe(0.01);
  });

  it('a run started through the API trains in a worker and records its metrics and traces', async () => {
    const run = await value<RunInfo>('startRun', { spec: { ...smallMlp, optimizer: 'curveball', steps: 6 } });
    expect(run.status).toBe('queued');
    await lab.idle();
    const done = await value<RunInfo>('getRun', { id: run.id });
    expect(done).toMatchObject({ status: 'completed', steps: 6, storedSteps: 6, totalSteps: 6, stepsPerEpoch: 250, backend: 'cpu' });
    expect(done.valAccuracy).toBeGreaterThan(0);

    const [series] = await value<{ metrics: string[]; traces: string[] }[]>('listSeries', { runIds: [run.id] });
    expect(series!.metrics).toEqual(['loss', 'accuracy']);
    expect(series!.traces).toEqual(expect.arrayContaining(['rho', 'beta', 'lambda']));

    const [curves] = await value<{ series: Record<string, { step: number; epoch: number; passes: number; value: number }[]>; epochs: unknown[] }[]>(
      'readCurves',
      { runIds: [run.id, 99_999], series: ['loss', 'rho', 'no-such-series'], maxPoints: 100 },
    );
    expect(curves!.series['loss']!.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5]);
    // 8,000 training digits in batches of 32: 250 steps per epoch.
    expect(curves!.series['loss']!.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6].map((k) => k / 250));
    expect(curves!.series['loss']!.every((p) => Number.isFinite(p.value))).toBe(true);
    // CurveBall does a forward, a backward and two forward-mode passes per step, and a loss
    // re-evaluation (one more forward) on the steps that adapt lambda: passes strictly increase.
    const passes = curves!.series['loss']!.map((p) => p.passes);
    expect(passes.every((p, i) => i === 0 || p > passes[i - 1]!)).toBe(true);
    expect(curves!.series['rho']).toHaveLength(6);
    expect(curves!.series['no-such-series']).toBeUndefined();
    expect(curves!.epochs).toHaveLength(1);

    const statuses = events.filter((e) => e.type === 'run-status' && e.runId === run.id).map((e) => (e.type === 'run-status' ? e.run?.status : null));
    expect(statuses).toEqual(expect.arrayContaining(['queued', 'running', 'completed']));
  });

  it('a sweep of 2 optimizers × 2 seeds makes 4 runs in one experiment, paired by seed', async () => {
    const sweep = await value<{ experiment: { id: number; runCount: number }; runs: RunInfo[] }>('startSweep', {
      experimentName: 'sgd vs curveball',
      base: { ...smallMlp, steps: 3 },
      optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'curveball' }],
      seeds: [0, 1],
    });
    expect(sweep.experiment.runCount).toBe(4);
    expect(sweep.runs.map((r) => [r.optimizer, r.spec.seed])).toEqual([['sgd', 0], ['sgd', 1], ['curveball', 0], ['curveball', 1]]);
    await lab.idle();
    const firstLoss = async (id: number): Promise<number> => {
      const [c] = await value<{ series: Record<string, { value: number }[]> }[]>('readCurves', { runIds: [id], series: ['loss'], maxPoints: 10 });
      return c!.series['loss']![0]!.value;
    };
    const [sgd0, sgd1, cb0, cb1] = await Promise.all(sweep.runs.map((r) => firstLoss(r.id)));
    // Same seed: same initial weights and first batch, whatever the optimizer.
    expect(cb0).toBe(sgd0);
    expect(cb1).toBe(sgd1);
    expect(sgd1).not.toBe(sgd0);
    const detail = await value<{ runs: RunInfo[] }>('getExperiment', { id: sweep.experiment.id });
    expect(detail.runs.every((r) => r.status === 'completed')).toBe(true);
  });

  it('malformed and impossible calls get typed errors and change nothing', async () => {
    const before = (await value<RunInfo[]>('listRuns', {})).length;
    const cases: [string, unknown, string, string?][] = [
      ['startRun', { spec: { ...smallMlp, optimizer: 'sgd', batchSize: 'big' } }, 'invalid-request', 'spec.batchSize'],
      ['startRun', { spec: { ...smallMlp, optimizer: 'sgd' }, extra: 1 }, 'invalid-request'],
      ['startRun', 'not an object', 'invalid-request'],
      ['startRun', { spec: { ...smallMlp, optimizer: 'no-such-optimizer' } }, 'invalid-input'],
      ['startRun', { spec: { ...smallMlp, optimizer: 'sgd', optimizerOptions: { lr: -1 } } }, 'invalid-input'],
      ['startSweep', { experimentName: 'x', base: smallMlp, optimizers: [{ name: 'sgd' }, { name: 'bogus' }], seeds: [0] }, 'invalid-input'],
      ['getRun', { id: 99_999 }, 'not-found'],
      ['deleteExperiment', { id: 99_999 }, 'not-found'],
      ['noSuchMethod', {}, 'invalid-request'],
    ];
    for (const [method, payload, code, field] of cases) {
      const response = await call(method, payload);
      expect(response, `${method} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code, ...(field ? { field } : {}) } });
    }
    expect((await value<RunInfo[]>('listRuns', {})).length).toBe(before);
  });

  it('deleting an experiment removes its runs and their rows', async () => {
    const experiments = await value<{ id: number; name: string }[]>('listExperiments');
    const sweep = experiments.find((e) => e.name === 'sgd vs curveball')!;
    await value('deleteExperiment', { id: sweep.id });
    const db = lab.store.db;
    const orphans = db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM step_metrics WHERE run_id NOT IN (SELECT id FROM runs))
              + (SELECT COUNT(*) FROM trace_values WHERE run_id NOT IN (SELECT id FROM runs))
              + (SELECT COUNT(*) FROM epoch_metrics WHERE run_id NOT IN (SELECT id FROM runs)) AS n`,
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
    expect((await value<RunInfo[]>('listRuns', { experimentId: sweep.id })).length).toBe(0);
  });
});
