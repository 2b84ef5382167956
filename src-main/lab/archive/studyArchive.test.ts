import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudySpec } from '../../shared/studySpec';
import { openStore, type Store, type StudyRecord } from '../store';
import { sampleSpec } from '../store/runFixtures.testkit';
import { databaseOf } from '../store/storeDatabase.testkit';
import { experimentRowsByUid, readJson, rewriteArchive, step, writeJson } from './archiveFixtures.testkit';
import { exportExperiment } from './exportExperiment';
import { importArchive } from './importArchive';

/** A study's experiment travels in an archive with its spec and its runs' cells (schema version 4). */

const spec: StudySpec = {
  name: 'a study',
  dataset: 'mnist',
  architectures: [{ label: 'Linear', preset: 'linear' }],
  optimizers: [{ label: 'SGD', name: 'sgd', lrGrid: [0.1, 0.01] }],
  seeds: [1],
  budget: { steps: 2 },
  batchSize: 8,
};
const study: StudyRecord = { spec, builtIn: null, task: 'classification' };
const cell = (lr: number) => ({ architecture: 'Linear', optimizer: 'SGD', lr, seed: 1 });

let source: Store;
let target: Store;
let archive: Uint8Array;
let ids: { experiment: number; uid: string; runs: number[] };

beforeEach(async () => {
  source = openStore(':memory:');
  const { experiment, runIds } = source.createStudy({
    name: 'a study',
    study,
    runs: [
      { spec: { ...sampleSpec, optimizerOptions: { lr: 0.1 } }, cell: cell(0.1) },
      { spec: { ...sampleSpec, optimizerOptions: { lr: 0.01 } }, cell: cell(0.01) },
    ],
    pid: process.pid,
  });
  const journal = source.recordRun(runIds[0]!);
  journal.record(step(0, 0, 2, 0.5, {}));
  journal.record({ type: 'done', status: 'completed', steps: 1, trainLoss: 2, valLoss: 1, valAccuracy: 0.5, trainEvalLoss: 1, trainEvalAccuracy: 0.5, seconds: 1, backend: 'cpu' });
  ids = { experiment: experiment.id, uid: experiment.uid, runs: runIds };
  archive = (await exportExperiment(source, experiment.id, { appVersion: '1.2.3' })).bytes;
  target = openStore(':memory:');
  target.createExperiment({ name: 'already here' });
});
afterEach(() => {
  source.close();
  target.close();
});

describe('a study in an archive', () => {
  it('carries its spec and its cells, parsed; a plain experiment carries neither', async () => {
    const files = unzipSync(archive);
    expect(readJson<Record<string, unknown>>(files, 'experiment.json').study).toEqual(study);
    expect(readJson<Record<string, unknown>[]>(files, 'runs.json').map((r) => r.study_cell)).toEqual([cell(0.1), cell(0.01)]);
    const plain = source.createExperiment({ name: 'plain' });
    const { bytes } = await exportExperiment(source, plain.id, { appVersion: '1.2.3' });
    expect(readJson<Record<string, unknown>>(unzipSync(bytes), 'experiment.json')).not.toHaveProperty('study');
  });

  it('round trip: the study is one again where it is imported, its rows equal, its unfinished run interrupted with no process', () => {
    const result = importArchive(target, archive);
    const imported = target.getStudy(result.experiment.id)!;
    expect(imported).toMatchObject({ study, statusCounts: { completed: 1, interrupted: 1 } });
    const runs = target.listRuns({ experimentId: result.experiment.id });
    expect([...target.studyCells(result.experiment.id).values()]).toEqual([cell(0.1), cell(0.01)]);
    expect(runs.map((r) => [r.status, r.pid])).toEqual([
      ['completed', null],
      ['interrupted', null],
    ]);
    const before = experimentRowsByUid(databaseOf(source), ids.uid);
    const after = experimentRowsByUid(databaseOf(target), ids.uid);
    expect(after.experiment).toEqual(before.experiment);
    expect(after.stepMetrics).toEqual(before.stepMetrics);
    expect(after.runs.map((r) => r.study_cell)).toEqual(before.runs.map((r) => r.study_cell));
  });

  it('an archive from before studies (schema version 3) imports as a plain experiment', () => {
    const old = rewriteArchive(archive, ({ files, manifest }) => {
      const { study: _s, ...experiment } = readJson<Record<string, unknown>>(files, 'experiment.json');
      writeJson(files, 'experiment.json', experiment);
      writeJson(files, 'runs.json', readJson<Record<string, unknown>[]>(files, 'runs.json').map(({ study_cell: _c, ...run }) => run));
      manifest.schemaVersion = 3;
    });
    const result = importArchive(target, old);
    expect(result.runCount).toBe(2);
    expect(target.getStudy(result.experiment.id)).toBeUndefined();
    expect(target.studyCells(result.experiment.id).size).toBe(0);
  });

  it('a study column without what the lab reads of it is refused, naming the entry, and nothing is written', () => {
    const broken = rewriteArchive(archive, ({ files }) => {
      const experiment = readJson<Record<string, unknown>>(files, 'experiment.json');
      writeJson(files, 'experiment.json', { ...experiment, study: { spec: { dataset: 'mnist' }, builtIn: null, task: 'classification' } });
    });
    expect(() => importArchive(target, broken)).toThrow(/experiment\.json: .*study\.spec\.architectures/);
    const badCell = rewriteArchive(archive, ({ files }) => {
      writeJson(files, 'runs.json', readJson<Record<string, unknown>[]>(files, 'runs.json').map((run) => ({ ...run, study_cell: { architecture: 'Linear' } })));
    });
    expect(() => importArchive(target, badCell)).toThrow(/runs\.json: .*study_cell/);
    expect(target.listExperiments().map((e) => e.name)).toEqual(['already here']);
  });
});
