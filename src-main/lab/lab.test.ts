import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncodedCurve, EncodedRunCurves, LabEvent, RunInfo, RunsStarted } from './api/labApi';
import type { LabDispatch } from './api/labDispatcher';
import type { Lab } from './lab';
import { until } from './queue/fakeQueueWorker.testkit';
import { oneRunRequest } from './runSpec/runRequests.testkit';
import { databaseOf } from './store/storeDatabase.testkit';
import { openTestLab, type TestLab } from './testLab.testkit';

let dir: string;
let lab: Lab;
let call: LabDispatch;
let events: LabEvent[];
let value: TestLab['value'];
let close: TestLab['close'];

beforeAll(async () => {
  ({ dir, lab, call, events, value, close } = await openTestLab('curvelab-lab-'));
});
afterAll(() => close());

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
    const { runs } = await value<RunsStarted>('startRuns', oneRunRequest({ ...smallMlp, optimizer: 'curveball', steps: 6 }));
    const run = runs[0]!;
    expect(run.status).toBe('queued');
    await lab.idle();
    const done = await value<RunInfo>('getRun', { id: run.id });
    expect(done).toMatchObject({ status: 'completed', steps: 6, storedSteps: 6, totalSteps: 6, stepsPerEpoch: 250, backend: 'cpu' });
    expect(done.valAccuracy).toBeGreaterThan(0);

    const [series] = await value<{ metrics: string[]; traces: string[] }[]>('listSeries', { runIds: [run.id] });
    expect(series!.metrics).toEqual(['loss', 'accuracy']);
    expect(series!.traces).toEqual(expect.arrayContaining(['rho', 'beta', 'lambda']));

    const [encoded] = await value<EncodedRunCurves[]>('readCurves', { runIds: [run.id, 99_999], series: ['loss', 'rho', 'no-such-series'], maxPoints: 100 });
    const curves = { ...encoded!, series: Object.fromEntries(Object.entries(encoded!.series).map(([name, curve]) => [name, decodedPoints(curve)])) };
    expect(curves!.series['loss']!.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5]);
    // 8,000 training digits in batches of 32: 250 steps per epoch.
    expect(curves!.series['loss']!.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6].map((k) => Math.fround(k / 250)));
    expect(curves!.series['loss']!.every((p) => Number.isFinite(p.value))).toBe(true);
    // CurveBall does a forward, a backward and two forward-mode passes per step, and a loss
    // re-evaluation (one more forward) on the steps that adapt lambda: passes strictly increase.
    const passes = curves!.series['loss']!.map((p) => p.passes);
    expect(passes.every((p, i) => i === 0 || p > passes[i - 1]!)).toBe(true);
    expect(curves!.series['rho']).toHaveLength(6);
    expect(curves!.series['no-such-series']).toBeUndefined();
    // No series named: every series the run has, as listSeries names them.
    const [every] = await value<EncodedRunCurves[]>('readCurves', { runIds: [run.id], maxPoints: 100 });
    expect(Object.keys(every!.series).sort()).toEqual([...series!.metrics, ...series!.traces].sort());
    expect(curves!.epochs).toHaveLength(1);

    const statuses = events.filter((e) => e.type === 'run-status' && e.runId === run.id).map((e) => (e.type === 'run-status' ? e.run?.status : null));
    expect(statuses).toEqual(expect.arrayContaining(['queued', 'running', 'completed']));
  });

  it('a sweep of 2 optimizers × 2 seeds makes 4 runs in one experiment, paired by seed', async () => {
    const sweep = await value<{ experiment: { id: number; runCount: number }; runs: RunInfo[] }>('startRuns', {
      experimentName: 'sgd vs curveball',
      base: { ...smallMlp, steps: 3 },
      optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'curveball' }],
      seeds: [0, 1],
    });
    expect(sweep.experiment.runCount).toBe(4);
    expect(sweep.runs.map((r) => [r.optimizer, r.spec.seed])).toEqual([['sgd', 0], ['sgd', 1], ['curveball', 0], ['curveball', 1]]);
    await lab.idle();
    const firstLoss = async (id: number): Promise<number> => {
      const [c] = await value<{ series: Record<string, { value: string }> }[]>('readCurves', { runIds: [id], series: ['loss'], maxPoints: 10 });
      return Buffer.from(c!.series['loss']!.value, 'base64').readFloatLE(0);
    };
    const [sgd0, sgd1, cb0, cb1] = await Promise.all(sweep.runs.map((r) => firstLoss(r.id)));
    // Same seed: same initial weights and first batch, whatever the optimizer.
    expect(cb0).toBe(sgd0);
    expect(cb1).toBe(sgd1);
    expect(sgd1).not.toBe(sgd0);
    const detail = await value<{ runs: RunInfo[] }>('getExperiment', { id: sweep.experiment.id });
    expect(detail.runs.every((r) => r.status === 'completed')).toBe(true);
  });

  it('a run whose loss blows up (lr 100) ends diverged, with the reason in RunInfo.error and in its status event', async () => {
    const { runs } = await value<RunsStarted>('startRuns', oneRunRequest({ ...smallMlp, optimizer: 'sgd', optimizerOptions: { lr: 100 }, steps: 40 }));
    await lab.idle();
    const run = await value<RunInfo>('getRun', { id: runs[0]!.id });
    expect(run.status).toBe('diverged');
    expect(run.error).toMatch(/^the batch loss \S+ at step \d+ exceeds 1000 × the first step's \d\.\d\d$/);
    expect(run.steps).toBeLessThan(40);
    expect([run.trainEvalLoss, run.trainEvalAccuracy]).toEqual([null, null]);
    const ended = events.filter((e) => e.type === 'run-status' && e.runId === run.id).at(-1);
    expect(ended).toMatchObject({ run: { status: 'diverged', error: run.error } });
  });

  it('trains on seeded subsets through the API and records the final model\'s train-set evaluation', async () => {
    const { runs } = await value<RunsStarted>('startRuns', {
      base: { ...smallMlp, trainSize: 96, valSize: 50, epochs: 2, divergenceFactor: 'off', augment: false },
      optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'adam' }],
      seeds: [5],
    });
    expect(runs[0]!.spec).toMatchObject({ trainSize: 96, valSize: 50, divergenceFactor: 'off', augment: false });
    await lab.idle();
    const [sgd, adam] = await Promise.all(runs.map((r) => value<RunInfo>('getRun', { id: r.id })));
    // 96 examples in batches of 32: 3 steps an epoch.
    expect(sgd).toMatchObject({ status: 'completed', stepsPerEpoch: 3, steps: 6, storedSteps: 6 });
    for (const run of [sgd!, adam!]) {
      expect(run.trainEvalLoss).toBeGreaterThan(0);
      expect(run.trainEvalAccuracy).toBeGreaterThanOrEqual(0);
      expect(run.trainEvalAccuracy).toBeLessThanOrEqual(1);
    }
    // Paired: the same subset and first batch for both optimizers.
    const firstLoss = async (id: number): Promise<number> => {
      const [c] = await value<{ series: Record<string, { value: string }> }[]>('readCurves', { runIds: [id], series: ['loss'], maxPoints: 10 });
      return Buffer.from(c!.series['loss']!.value, 'base64').readFloatLE(0);
    };
    expect(await firstLoss(adam!.id)).toBe(await firstLoss(sgd!.id));

    const tooLarge = await call('startRuns', oneRunRequest({ ...smallMlp, optimizer: 'sgd', trainSize: 8001 }));
    expect(tooLarge).toEqual({
      ok: false,
      error: { code: 'invalid-input', field: 'base.trainSize', message: 'expected at most 8000 (the size of the training split)' },
    });
  });

  it('malformed and impossible calls get typed errors and change nothing', async () => {
    const before = (await value<RunInfo[]>('listRuns', {})).length;
    const cases: [string, unknown, string, string?][] = [
      ['startRuns', oneRunRequest({ ...smallMlp, optimizer: 'sgd', batchSize: 'big' as unknown as number }), 'invalid-request', 'base.batchSize'],
      ['startRuns', { ...oneRunRequest({ ...smallMlp, optimizer: 'sgd' }), extra: 1 }, 'invalid-request'],
      ['startRuns', 'not an object', 'invalid-request'],
      ['startRuns', oneRunRequest({ ...smallMlp, optimizer: 'no-such-optimizer' }), 'invalid-input'],
      ['startRuns', oneRunRequest({ ...smallMlp, optimizer: 'sgd', optimizerOptions: { lr: -1 } }), 'invalid-input'],
      ['startRuns', { experimentName: 'x', base: smallMlp, optimizers: [{ name: 'sgd' }, { name: 'bogus' }], seeds: [0] }, 'invalid-input'],
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
    const db = databaseOf(lab.store);
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

describe('a run deleted while it trains', () => {
  const training = (id: number) => async () => {
    const run = await value<RunInfo>('getRun', { id });
    return run.status === 'running' && run.storedSteps > 0;
  };

  it("leaves the next run its own: a new id, none of the deleted run's rows or status, and it can be cancelled", async () => {
    await lab.idle();
    const long = { ...smallMlp, steps: 100_000 };
    const first = await value<RunsStarted>('startRuns', oneRunRequest({ ...long, optimizer: 'curveball' }));
    const old = first.runs[0]!;
    await until(training(old.id), 60_000);
    await value('deleteExperiment', { id: first.experiment.id });

    const second = await value<RunsStarted>('startRuns', oneRunRequest({ ...long, optimizer: 'sgd' }));
    const next = second.runs[0]!;
    expect(next.id).not.toBe(old.id);
    await until(training(next.id), 60_000);
    await value('cancelRun', { id: next.id });
    await lab.idle();
    const ended = await value<RunInfo>('getRun', { id: next.id });
    expect(ended).toMatchObject({ status: 'cancelled', optimizer: 'sgd', error: null });
    expect(ended.storedSteps).toBe(ended.steps);
    const [series] = await value<{ traces: string[] }[]>('listSeries', { runIds: [next.id] });
    for (const curveBallTrace of ['rho', 'beta', 'lambda']) expect(series!.traces).not.toContain(curveBallTrace);
    expect(await call('getRun', { id: old.id })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('run requests are checked once, before anything is written', () => {
  /** Experiments, runs and datasets in the database. */
  async function counts(): Promise<number[]> {
    return [
      (await value<unknown[]>('listExperiments')).length,
      (await value<unknown[]>('listRuns', {})).length,
      (await value<unknown[]>('listDatasets')).length,
    ];
  }

  const oneSgdRun = (arch: unknown) => ({ base: { ...smallMlp, arch, steps: 2 }, optimizers: [{ name: 'sgd' }], seeds: [0] });

  it('refuses a JSON model spec that does not fit the dataset, naming the field, and writes no row', async () => {
    const before = await counts();
    const wrongInput = await call('startRuns', oneSgdRun({ inputShape: [32, 32, 3], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] }));
    expect(wrongInput).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        field: 'base.arch.inputShape',
        message: "the model's inputShape [32,32,3] does not match the dataset's examples [28,28,1]",
      },
    });
    const fiveOutputs = await call('startRuns', oneSgdRun({ layers: [{ type: 'flatten' }, { type: 'dense', units: 5 }] }));
    expect(fiveOutputs).toEqual({
      ok: false,
      error: { code: 'invalid-input', field: 'base.arch.layers.1', message: "the model's output shape [5] does not match the dataset: expected [10]" },
    });
    expect(await counts()).toEqual(before);
  });

  it('checkRuns reports every issue at once, structure and content, each at its field, and writes nothing', async () => {
    const before = await counts();
    const check = await value<{ runCount: number; experimentName: string; issues: { field: string; message: string }[] }>('checkRuns', {
      base: { ...smallMlp, batchSize: 0, arch: { layers: [{ type: 'flatten' }, { type: 'dense', units: 0 }] } },
      optimizers: [{ name: 'adam', options: { lr: -1 } }, { name: 'lbfgs' }, { name: 'sgd', grid: { lr: [0.1, 0.2] } }],
      seeds: [0, 2 ** 31],
      colour: 'blue',
    });
    expect(check.issues.map((i) => i.field).sort()).toEqual(
      ['colour', 'base.batchSize', 'base.arch.layers.1.units', 'optimizers.0.options.lr', 'optimizers.1.name', 'seeds.1'].sort(),
    );
    expect(check.issues.find((i) => i.field === 'optimizers.0.options.lr')!.message).toBe('adam: option "lr" must be ≥ 0, got -1');
    expect(check.issues.find((i) => i.field === 'seeds.1')!.message).toBe('expected an integer from 0 to 2147483647');
    expect(check.runCount).toBe(4 * 2); // adam, lbfgs, sgd × 2 grid values; × 2 seeds
    expect(check.experimentName).toBe('mnist · custom model · adam vs lbfgs vs sgd');
    expect(await counts()).toEqual(before);
  });

  it('checkRuns on a good request: the run count and the name the lab would give, no issues', async () => {
    const request = { base: { ...smallMlp, steps: 2 }, optimizers: [{ name: 'sgd', grid: { lr: [0.1, 0.01] } }, { name: 'curveball' }], seeds: [0, 1] };
    expect(await value('checkRuns', request)).toEqual({ runCount: 6, experimentName: 'mnist · mlp · sgd vs curveball', issues: [] });
    expect(await value('checkRuns', { ...request, experimentName: 'mine' })).toMatchObject({ experimentName: 'mine' });
    expect(await value('checkRuns', { ...request, experimentId: 99_999 })).toMatchObject({
      issues: [{ field: 'experimentId', message: 'no experiment with id 99999' }],
    });
    expect(await call('startRuns', { ...request, experimentId: 99_999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('a dataset the registry lacks: refused at base.dataset if it does not load; checked without registering, registered when runs start', async () => {
    const before = await counts();
    const missing = join(dir, 'missing.csv');
    const refused = await call('startRuns', { ...oneSgdRun('linear'), base: { dataset: missing, target: 'label', arch: 'linear', steps: 2 } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'base.dataset', message: expect.stringContaining('missing.csv') } });
    expect(await counts()).toEqual(before);

    const csv = join(dir, 'points.csv');
    writeFileSync(csv, ['a,b,label', ...Array.from({ length: 30 }, (_, i) => `${i},${30 - i},${i % 3}`)].join('\n'));
    const request = { base: { dataset: csv, target: 'label', arch: 'linear', steps: 2, batchSize: 4 }, optimizers: [{ name: 'sgd' }], seeds: [0] };
    // Three classes: a final layer of 2 outputs does not fit.
    const twoOutputs = { ...request, base: { ...request.base, arch: { layers: [{ type: 'dense', units: 2 }] } } };
    expect(await value('checkRuns', twoOutputs)).toMatchObject({ issues: [{ field: 'base.arch.layers.0', message: expect.stringMatching(/expected \[3\]/) }] });
    expect(await value('checkRuns', request)).toMatchObject({ runCount: 1, issues: [] });
    expect(await counts()).toEqual(before);

    events.length = 0;
    const started = await value<RunsStarted>('startRuns', request);
    expect(await counts()).toEqual([before[0]! + 1, before[1]! + 1, before[2]! + 1]);
    expect(events).toContainEqual({ type: 'datasets-changed' });
    const [registered] = (await value<{ source: string; classes: number }[]>('listDatasets')).filter((d) => d.source === csv);
    expect(registered).toMatchObject({ classes: 3 });
    await lab.idle();
    expect(await value<RunInfo>('getRun', { id: started.runs[0]!.id })).toMatchObject({ status: 'completed', steps: 2 });
  });
});

/** readCurves' columns (little-endian float32 in base64) back into points, for the assertions. */
function decodedPoints(curve: EncodedCurve): { step: number; epoch: number; passes: number; value: number }[] {
  const column = (base64: string): number[] => Array.from({ length: curve.length }, (_, i) => Buffer.from(base64, 'base64').readFloatLE(4 * i));
  const [step, epoch, passes, value] = [curve.step, curve.epoch, curve.passes, curve.value].map(column);
  return step!.map((_, i) => ({ step: step![i]!, epoch: epoch![i]!, passes: passes![i]!, value: value![i]! }));
}
