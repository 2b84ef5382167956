import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudySpec } from '../../shared/studySpec';
import type { LabEvent, RunInfo, StudyCheck, StudyDetail, StudyInfo, StudyReportFile } from '../api/labApi';
import type { LabDispatch } from '../api/labDispatcher';
import { openLab, type Lab } from '../lab';
import { openStore } from '../store';
import { databaseOf } from '../store/storeDatabase.testkit';
import { openTestLab, type TestLab } from '../testLab.testkit';
import { StudyReports } from './studyReports';

/** The study methods of the Lab API, through the dispatcher both transports use, with real training workers. */

let dir: string;
let lab: Lab;
let call: LabDispatch;
let events: LabEvent[];
let value: TestLab['value'];
let close: TestLab['close'];

beforeAll(async () => {
  ({ dir, lab, call, events, value, close } = await openTestLab('curvelab-studies-'));
});
afterAll(() => close());

/** 2 architectures × 2 optimizers × 2 seeds, a few steps on seeded subsets of the embedded MNIST. */
const tinySpec: StudySpec = {
  dataset: 'mnist',
  trainSize: 256,
  valSize: 128,
  architectures: [{ preset: 'mlp', options: { widths: '16' } }, { label: 'Linear', preset: 'linear' }],
  optimizers: [{ name: 'curveball' }, { label: 'SGD', name: 'momentum', options: { momentum: 0.9 } }],
  seeds: [1, 2],
  budget: { steps: 4 },
  batchSize: 32,
};

function firstStepLoss(lab: Lab, runId: number): number {
  return (databaseOf(lab.store).prepare('SELECT loss FROM step_metrics WHERE run_id = ? AND step = 0').get(runId) as { loss: number }).loss;
}

describe('studies through the Lab API', () => {
  it('lists the built-in studies', async () => {
    const builtIns = await value<{ name: string }[]>('listBuiltInStudies');
    expect(builtIns.map((b) => b.name)).toEqual(['seed-table', 'random-architectures']);
  });

  it('checkStudy gives every issue at its field in the request, and writes nothing', async () => {
    const before = await value<unknown[]>('listExperiments');
    const check = await value<StudyCheck>('checkStudy', {
      spec: {
        ...tinySpec,
        architectures: [{ preset: 'mlp', options: { width: '16' } }, { preset: 'linear' }, { random: { count: 0, seed: 0 } }],
        optimizers: [{ name: 'curveball' }, { name: 'sgd', options: { lr: -1 } }],
      },
    });
    expect(check.spec).toBeNull();
    expect(check.issues.map((i) => i.field).sort()).toEqual(['spec.architectures.0.options.width', 'spec.architectures.2.random.count', 'spec.optimizers.1.options.lr']);
    expect((await value<StudyCheck>('checkStudy', { builtIn: 'seed-table', count: 3 })).issues).toEqual([
      { field: 'count', message: expect.stringMatching(/only random-architectures/) },
    ]);
    expect((await value<StudyCheck>('checkStudy', { builtIn: 'seed-tables' })).issues.map((i) => i.field)).toEqual(['builtIn']);
    const missing = await value<StudyCheck>('checkStudy', { builtIn: 'seed-table', dataset: join(dir, 'missing-cifar') });
    expect(missing.issues).toEqual([{ field: 'dataset', message: expect.stringContaining('missing-cifar') }]);
    expect(await value<unknown[]>('listExperiments')).toEqual(before);
  });

  it('checkStudy on a sound request: the spec it would run (named), its run count', async () => {
    const check = await value<StudyCheck>('checkStudy', { spec: tinySpec });
    expect(check).toEqual({ spec: { ...tinySpec, name: 'mnist · 2 architectures × curveball vs SGD' }, runCount: 8, issues: [] });
    const builtIn = await value<StudyCheck>('checkStudy', { builtIn: 'random-architectures', count: 4 });
    expect(builtIn).toMatchObject({ runCount: 12, issues: [], spec: { name: 'random-architectures · tiny · mnist · 4 networks' } });
  });

  it("a built-in's name is cut to an experiment name's limit, however long its dataset's file name", async () => {
    const csv = join(dir, `points-${'x'.repeat(200)}.csv`);
    writeFileSync(csv, ['a,b,label', ...Array.from({ length: 200 }, (_, i) => `${i % 17},${i % 5},${i % 3}`)].join('\n'));
    const check = await value<StudyCheck>('checkStudy', { builtIn: 'random-architectures', count: 2, dataset: csv, target: 'label' });
    expect(check.issues).toEqual([]);
    expect(check.spec!.name).toHaveLength(200);
    expect(check.spec!.name).toMatch(/^random-architectures · tiny · points-x+$/);
  });

  it('startStudy refuses a study with an issue, naming the field, and stores nothing', async () => {
    const before = await value<unknown[]>('listExperiments');
    const response = await call('startStudy', { spec: { ...tinySpec, optimizers: [{ name: 'curveball', options: { lambda: -1 } }] } });
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'spec.optimizers.0.options.lambda' } });
    // The refusal carries every issue, for a caller that shows them all (curvelab study run).
    const optimizers: StudySpec['optimizers'] = [{ name: 'curveball', options: { lambda: -1 } }, { name: 'sgd', options: { lr: -1 } }];
    const twoIssues = { spec: { ...tinySpec, optimizers } };
    await expect(lab.startStudy(twoIssues)).rejects.toMatchObject({
      field: 'spec.optimizers.0.options.lambda',
      issues: [expect.objectContaining({ field: 'spec.optimizers.0.options.lambda' }), expect.objectContaining({ field: 'spec.optimizers.1.options.lr' })],
    });
    expect(await call('startStudy', { spec: { ...tinySpec, seeds: [] } })).toMatchObject({ ok: false, error: { code: 'invalid-request', field: 'spec.seeds' } });
    expect(await value<unknown[]>('listExperiments')).toEqual(before);
  });

  it('runs a study of paired runs to the end: its cells, its status, its report with the table', async () => {
    events.length = 0;
    const started = await value<StudyInfo>('startStudy', { spec: tinySpec });
    expect(started).toMatchObject({ name: 'mnist · 2 architectures × curveball vs SGD', builtIn: null, task: 'classification', runCount: 8, finished: false, statusCounts: { queued: 8 } });
    expect(events.some((e) => e.type === 'studies-changed')).toBe(true);
    await lab.idle();

    const { study, runs } = await value<StudyDetail>('getStudy', { id: started.id });
    expect(study).toMatchObject({ id: started.id, finished: true, statusCounts: { completed: 8 }, spec: { ...tinySpec, name: started.name } });
    expect(runs.map((r) => [r.cell.architecture, r.cell.optimizer, r.cell.lr, r.cell.seed, r.optimizer, r.spec.arch, r.spec.seed])).toEqual([
      ['mlp (widths=16)', 'curveball', null, 1, 'curveball', 'mlp', 1],
      ['mlp (widths=16)', 'curveball', null, 2, 'curveball', 'mlp', 2],
      ['mlp (widths=16)', 'SGD', null, 1, 'momentum', 'mlp', 1],
      ['mlp (widths=16)', 'SGD', null, 2, 'momentum', 'mlp', 2],
      ['Linear', 'curveball', null, 1, 'curveball', 'linear', 1],
      ['Linear', 'curveball', null, 2, 'curveball', 'linear', 2],
      ['Linear', 'SGD', null, 1, 'momentum', 'linear', 1],
      ['Linear', 'SGD', null, 2, 'momentum', 'linear', 2],
    ]);
    expect(runs.every((r: RunInfo) => r.status === 'completed' && r.storedSteps === 4 && r.experimentId === started.id)).toBe(true);

    // Paired on the seeded subsets: the first loss (before any update) depends on the weights and batch alone.
    const loss = runs.map((r) => firstStepLoss(lab, r.id));
    for (const row of [0, 4]) {
      expect(loss[row]).toBe(loss[row + 2]); // seed 1: curveball and SGD
      expect(loss[row + 1]).toBe(loss[row + 3]); // seed 2
      expect(loss[row]).not.toBe(loss[row + 1]);
    }

    expect((await value<StudyInfo[]>('listStudies'))[0]).toEqual(study);
    const markdown = await value<StudyReportFile>('studyReport', { id: started.id, format: 'markdown' });
    expect(markdown.fileName).toBe('mnist-2-architectures-curveball-vs-sgd.md');
    expect(markdown.text).toContain('| Architecture | curveball | SGD |');
    expect(markdown.text).toMatch(/\| mlp \(widths=16\) \| [★ ]*\d+\.\d ± \d+\.\d \/ \d+\.\d ± \d+\.\d · 2 seeds/);
    expect(markdown.text).toContain('8 runs: 8 completed');
    const html = await value<StudyReportFile>('studyReport', { id: started.id, format: 'html' });
    expect(html.fileName).toMatch(/\.html$/);
    expect(html.text).toMatch(/^<!DOCTYPE html>/i);
    expect(html.text).toContain('<svg');
    const csv = await value<StudyReportFile>('studyReport', { id: started.id, format: 'csv' });
    expect(csv.text.split('\n').filter((line) => line.startsWith('run,'))).toHaveLength(8);
  });

  it('a study takes no runs from startRuns: its runs are the cells of its table', async () => {
    const [study] = await value<StudyInfo[]>('listStudies');
    const request = { experimentId: study!.id, base: { dataset: 'mnist', arch: 'linear', steps: 1 }, optimizers: [{ name: 'sgd' }], seeds: [0] };
    expect(await call('startRuns', request)).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'experimentId', message: expect.stringMatching(/is a study/) } });
    expect((await value<{ issues: unknown[] }>('checkRuns', request)).issues).toEqual([{ field: 'experimentId', message: expect.stringMatching(/is a study/) }]);
    expect((await value<StudyInfo[]>('listStudies'))[0]!.runCount).toBe(study!.runCount);
  });

  it("a study's report is built once per state of its runs: again when a run's status or its epochs change", async () => {
    const [study] = await value<StudyInfo[]>('listStudies');
    const reports = new StudyReports();
    const first = reports.report(lab.store, study!.id);
    expect(reports.report(lab.store, study!.id)).toBe(first);
    expect(reports.file(lab.store, study!.id, 'csv').text).toBe((await value<StudyReportFile>('studyReport', { id: study!.id, format: 'csv' })).text);
    const [run] = (await value<StudyDetail>('getStudy', { id: study!.id })).runs;
    const db = databaseOf(lab.store);
    db.prepare('INSERT INTO epoch_metrics (run_id, epoch, steps, train_loss, train_accuracy, val_loss, val_accuracy, seconds) VALUES (?, 1, 4, 1, 0.5, 1, 0.5, 1)').run(run!.id);
    const withEpoch = reports.report(lab.store, study!.id);
    expect(withEpoch).not.toBe(first);
    expect(reports.report(lab.store, study!.id)).toBe(withEpoch);
    db.prepare("UPDATE runs SET status = 'diverged' WHERE id = ?").run(run!.id);
    expect(reports.report(lab.store, study!.id).runCounts).toEqual([
      { status: 'diverged', count: 1 },
      { status: 'completed', count: 7 },
    ]);
  });

  it('getStudy of an experiment that is not a study, or of none, is not found; deleting a study says studies changed', async () => {
    const plain = await value<{ id: number }>('createExperiment', { name: 'plain' });
    expect(await call('getStudy', { id: plain.id })).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringMatching(/is not a study/) } });
    expect(await call('studyReport', { id: 99_999, format: 'csv' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const [study] = await value<StudyInfo[]>('listStudies');
    events.length = 0;
    await value('deleteExperiment', { id: study!.id });
    expect(events.map((e) => e.type)).toContain('studies-changed');
    expect(await value<StudyInfo[]>('listStudies')).toEqual([]);
  });
});

describe('a study survives the lab closing', () => {
  it('closing leaves its unfinished runs interrupted; a lab opening resumes them from their checkpoints and never reruns a finished one', async () => {
    const path = join(dir, 'closing.db');
    const open = () => openLab({ databasePath: path, mode: 'web', backend: 'cpu', concurrency: 1 });
    const first = await open();
    const spec: StudySpec = { ...tinySpec, seeds: [1], budget: { steps: 1000 }, architectures: [{ preset: 'linear' }], optimizers: [{ name: 'sgd' }, { name: 'adam' }, { name: 'rmsprop' }] };
    const started = await first.startStudy({ spec: { ...spec, budget: { steps: 20 }, optimizers: [{ name: 'sgd' }] } });
    await first.idle();
    const long = await first.startStudy({ spec });
    const [a, b, c] = (await first.getStudy({ id: long.id })).runs.map((r) => r.id) as [number, number, number];
    await until(() => first.store.getRun(b)!.storedSteps > 0);
    await first.close();

    const closed = openStore(path);
    const [ra, rb, rc] = [a, b, c].map((id) => closed.getRun(id)!);
    closed.close();
    expect(ra!.status).toBe('completed');
    expect([rb!.status, rc!.status]).toEqual(['interrupted', 'interrupted']);
    expect(rc!.startedAt).toBeNull();

    const second = await open();
    try {
      // From its last checkpoint (the one written where it stopped, when the close left it time to): the
      // steps stored up to it stay, none after it. Exactness from a checkpoint is resumeCommand.test's.
      const resumed = second.store.getRun(b)!;
      expect(resumed.status).toMatch(/queued|running/);
      expect(resumed.storedSteps).toBeLessThanOrEqual(rb!.storedSteps);
      await second.idle();
      const { study, runs } = await second.getStudy({ id: long.id });
      expect(study.finished).toBe(true);
      expect(runs.map((r) => [r.id, r.status, r.storedSteps])).toEqual([
        [a, 'completed', 1000],
        [b, 'completed', 1000],
        [c, 'completed', 1000],
      ]);
      expect(runs[0]!.endedAt).toBe(ra!.endedAt);
      // The finished study is left alone.
      expect((await second.getStudy({ id: started.id })).runs.map((r) => r.status)).toEqual(['completed']);
    } finally {
      await second.close();
    }
  });

  it('a lab resumes by itself only the runs a lab process left; resumeStudy takes the others, and refuses while another process trains the study', async () => {
    const path = join(dir, 'imported.db');
    const own = await openLab({ databasePath: path, mode: 'web', backend: 'cpu', concurrency: 1 });
    const spec: StudySpec = { ...tinySpec, seeds: [1], architectures: [{ preset: 'linear' }] };
    const started = await own.startStudy({ spec });
    await own.idle();
    const [one, two] = (await own.getStudy({ id: started.id })).runs.map((r) => r.id) as [number, number];
    const db = databaseOf(own.store);
    // As an archive brings it in: interrupted, with no process of this machine's recorded.
    db.prepare("UPDATE runs SET status = 'interrupted', pid = NULL WHERE id = ?").run(one);
    // As another live lab process holds it.
    db.prepare("UPDATE runs SET status = 'queued', pid = ? WHERE id = ?").run(process.ppid, two);
    await expect(own.resumeStudy({ id: started.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/another CurveLab process/) });

    db.prepare("UPDATE runs SET status = 'completed' WHERE id = ?").run(two);
    await own.resumeStudies();
    expect(own.store.getRun(one)!.status).toBe('interrupted');
    const resumed = await own.resumeStudy({ id: started.id });
    expect(resumed.statusCounts).toMatchObject({ completed: 1 });
    await own.idle();
    expect(own.store.getRun(one)).toMatchObject({ id: one, status: 'completed', storedSteps: 4, pid: process.pid });
    await own.close();
  });
});

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
