import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { LabError } from '../api/labErrors';
import { openStore, type Store } from '../store';
import { sampleSpec } from '../store/runFixtures.testkit';
import { quotedDataset, readJson, sampleExperiment, step } from './archiveFixtures.testkit';
import { classifyEntry, unsafeEntryName } from './entryNames';
import { exportExperiment } from './exportExperiment';
import { databaseOf } from '../store/storeDatabase.testkit';

let store: Store;
afterEach(() => store?.close());

async function exported() {
  store = openStore(':memory:');
  const sample = sampleExperiment(store);
  const archive = await exportExperiment(store, sample.experiment.id, { appVersion: '9.8.7' });
  const files = unzipSync(archive.bytes);
  return { ...sample, archive, files, manifest: readJson<Record<string, any>>(files, 'manifest.json') };
}

describe('exportExperiment', () => {
  it('writes the entries of the format, each listed in the manifest with its true size and SHA-256', async () => {
    const { files, manifest, sgd, curveball } = await exported();
    const perRun = (uid: string) => ['step_metrics', 'epoch_metrics', 'trace_values'].map((t) => `metrics/${uid}/${t}.json`);
    const expected = [
      'experiment.json', 'runs.json', ...perRun(sgd.uid), ...perRun(curveball.uid),
      'csv/run-1/steps.csv', 'csv/run-1/epochs.csv',
      'csv/run-2/steps.csv', 'csv/run-2/epochs.csv', 'csv/runs.csv',
    ];
    expect(Object.keys(files).sort()).toEqual([...expected, 'manifest.json'].sort());
    expect(Object.keys(manifest.files).sort()).toEqual(expected.sort());
    for (const name of expected) {
      expect(manifest.files[name]).toEqual({ bytes: files[name]!.byteLength, sha256: createHash('sha256').update(files[name]!).digest('hex') });
    }
  });

  it('describes the experiment in the manifest: format, versions, machine, backends, datasets, counts', async () => {
    const { manifest, experiment, archive } = await exported();
    expect(manifest).toMatchObject({
      format: 'curvelab-experiment',
      formatVersion: 1,
      appVersion: '9.8.7',
      schemaVersion: databaseOf(store).pragma('user_version', { simple: true }),
      backends: ['cpu', 'webgpu'],
      datasets: [{ source: 'mnist', name: 'MNIST digits', contentHash: 'hash-of-mnist' }, { source: quotedDataset }],
      experiment: { uid: experiment.uid, name: 'Paired "comparison", v1' },
      // 4 SGD + 3 CurveBall steps; 2 epochs; 4 lr values + 3 × (rho, beta, lambda).
      counts: { runs: 2, stepMetrics: 7, epochMetrics: 2, traceValues: 13 },
    });
    expect(manifest.datasets[1]).toEqual({ source: quotedDataset });
    expect(Number.isNaN(Date.parse(manifest.createdAt))).toBe(false);
    expect(manifest.machine).toEqual({ platform: process.platform, arch: process.arch, cpuModel: expect.any(String), cpus: expect.any(Number) });
    expect(archive.fileName).toBe(`paired-comparison-v1-${(manifest.createdAt as string).slice(0, 10)}.curvelab`);
  });

  it('carries the experiment and run rows without local ids, JSON columns parsed', async () => {
    const { files, experiment, sgd } = await exported();
    const experimentRow = readJson<Record<string, unknown>>(files, 'experiment.json');
    expect(experimentRow).toEqual({
      uid: experiment.uid, name: 'Paired "comparison", v1', notes: 'first line\nsecond, with comma', tags: ['paired', 'mnist'], created_at: experiment.createdAt,
    });
    const runs = readJson<Record<string, unknown>[]>(files, 'runs.json');
    expect(runs.map((r) => r.uid)).toEqual([sgd.uid, expect.any(String)]);
    for (const local of ['id', 'experiment_id', 'pid', 'session']) expect(runs[0]).not.toHaveProperty(local);
    expect(runs[0]).toMatchObject({ spec: sgd.spec, optimizer: 'sgd', status: 'completed', backend: 'cpu', notes: 'baseline, "plain"', tags: ['baseline'], steps: 4 });
    expect(runs[1]).toMatchObject({ status: 'diverged', train_loss: null, error: 'non-finite loss' });
  });

  it('writes metric rows as columns + rows with null for NaN and words for infinities', async () => {
    const { files, curveball } = await exported();
    expect(readJson(files, `metrics/${curveball.uid}/step_metrics.json`)).toEqual({
      columns: ['step', 'epoch', 'loss', 'accuracy', 'seconds', 'forward_passes', 'backward_passes', 'forward_mode_passes'],
      rows: [
        [0, 0, 2, null, 0.5, 1, 1, 2],
        [1, 0, null, null, 1, 2, 2, 4],
        [2, 0, 'Infinity', null, 1.5, 3, 3, 6],
      ],
    });
    expect(readJson(files, `metrics/${curveball.uid}/trace_values.json`)).toMatchObject({
      columns: ['step', 'name', 'value'],
      rows: expect.arrayContaining([[2, 'beta', '-Infinity'], [1, 'rho', 0.25]]),
    });
    expect(readJson(files, `metrics/${curveball.uid}/epoch_metrics.json`)).toMatchObject({ rows: [] });
  });

  it('writes CSV files that match hand-computed lines (RFC 4180 quoting, CRLF)', async () => {
    const { files, sgd, curveball } = await exported();
    const text = (name: string) => strFromU8(files[name]!);
    // passes = forward (s+1) + backward (s+1) + forward-mode 2(s+1); seconds (s+1)/2.
    expect(text('csv/run-1/steps.csv')).toBe(
      'step,epoch,seconds,passes,loss,accuracy,lr\r\n' +
        '0,0,0.5,4,2.25,0.125,0.1\r\n' +
        '1,0,1,8,1.5,0.25,0.1\r\n' +
        '2,1,1.5,12,1,0.5,0.05\r\n' +
        '3,1,2,16,0.75,0.625,0.05\r\n',
    );
    expect(text('csv/run-1/epochs.csv')).toBe(
      'epoch,steps,train_loss,train_accuracy,val_loss,val_accuracy,seconds\r\n0,2,1.75,0.5,1.25,0.5,1\r\n1,4,1,0.75,0.5,0.75,2\r\n',
    );
    expect(text('csv/run-2/steps.csv')).toBe(
      'step,epoch,seconds,passes,loss,accuracy,beta,lambda,rho\r\n' +
        '0,0,0.5,4,2,,0.5,1,0\r\n' +
        '1,0,1,8,,,0.5,1.5,0.25\r\n' +
        '2,0,1.5,12,Infinity,,-Infinity,2,0.5\r\n',
    );
    expect(text('csv/run-2/epochs.csv')).toBe('epoch,steps,train_loss,train_accuracy,val_loss,val_accuracy,seconds\r\n');
    expect(text('csv/runs.csv')).toBe(
      'run,uid,optimizer,seed,status,dataset,arch,batch_size,epochs,total_steps,opt.lambda,opt.lr,opt.weightDecay,' +
        'steps,train_loss,val_loss,val_accuracy,best_val_loss,best_val_accuracy,backend,folder\r\n' +
        `1,${sgd.uid},sgd,1,completed,mnist,mlp,64,1,4,,0.1,0.9,4,0.875,0.5,0.75,0.5,0.75,cpu,run-1\r\n` +
        `2,${curveball.uid},curveball,2,diverged,"data/""digits"", v2.csv",mlp,64,,3,1,,,3,,,,,,webgpu,run-2\r\n`,
    );
  });

  it('names entries by ids only: a stored seed that is a path (imported before imports were checked) stays out of them', async () => {
    const { experiment, sgd } = await exported();
    const hostile = { ...sgd.spec, seed: '../../../../tmp/evil' };
    databaseOf(store).prepare('UPDATE runs SET spec = ?, optimizer = ? WHERE id = ?').run(JSON.stringify(hostile), '../x', sgd.id);
    const files = unzipSync((await exportExperiment(store, experiment.id, { appVersion: '1.0.0' })).bytes);
    for (const name of Object.keys(files)) {
      expect(unsafeEntryName(name), name).toBeUndefined();
      expect(classifyEntry(name), name).toBeDefined();
      expect(name).not.toMatch(/evil|\.\./);
    }
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['csv/run-1/steps.csv', 'csv/run-2/epochs.csv']));
  });

  it('writes formula-looking text as text in every CSV, and negative numbers as numbers', async () => {
    const { experiment } = await exported();
    const formula = '=HYPERLINK("http://evil.example","x")';
    const run = store.createRun(experiment.id, { ...sampleSpec, optimizerOptions: { lr: 0.1 }, dataset: formula, seed: 5 });
    const recorder = store.recordRun(run.id, { flushIntervalMs: 60_000 });
    recorder.record(step(0, 0, -1.5, null, { lr: -0.25 }));
    recorder.record({ type: 'done', status: 'completed', steps: 1, trainLoss: -1.5, valLoss: null, valAccuracy: null, trainEvalLoss: null, trainEvalAccuracy: null, seconds: 1, backend: 'cpu' });
    const files = unzipSync((await exportExperiment(store, experiment.id, { appVersion: '1.0.0' })).bytes);
    const runsCsv = strFromU8(files['csv/runs.csv']!);
    expect(runsCsv).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    expect(runsCsv).not.toMatch(/(^|,)"?=/m);
    expect(strFromU8(files['csv/run-3/steps.csv']!)).toBe('step,epoch,seconds,passes,loss,accuracy,lr\r\n0,0,0.5,4,-1.5,,-0.25\r\n');
  });

  it('exports an experiment without runs', async () => {
    store = openStore(':memory:');
    const empty = store.createExperiment({ name: '   ' });
    const archive = await exportExperiment(store, empty.id, { appVersion: '1.0.0' });
    const files = unzipSync(archive.bytes);
    expect(readJson(files, 'runs.json')).toEqual([]);
    expect(strFromU8(files['csv/runs.csv']!).split('\r\n')).toHaveLength(2);
    expect(archive.fileName).toMatch(/^experiment-\d{4}-\d{2}-\d{2}\.curvelab$/);
  });

  it('rejects an unknown experiment id with a not-found LabError', async () => {
    store = openStore(':memory:');
    const failure = exportExperiment(store, 42, { appVersion: '1.0.0' });
    await expect(failure).rejects.toBeInstanceOf(LabError);
    await expect(failure).rejects.toMatchObject({ code: 'not-found', message: 'no experiment with id 42' });
  });
});
