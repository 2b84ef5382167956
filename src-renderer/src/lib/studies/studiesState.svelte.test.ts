import { describe, expect, test, vi } from 'vitest';
import { LabError } from '$api/labErrors';
import { FakeLabClient, makeDataset, makeRun, makeStudy, makeStudyRun, makeStudySpec } from '../lab/fakeLabClient.testkit';
import { StudiesState } from './studiesState.svelte';

async function loaded(client = new FakeLabClient()): Promise<{ client: FakeLabClient; state: StudiesState }> {
  const state = new StudiesState(client, { refreshIntervalMs: 0 });
  await state.load();
  return { client, state };
}

/** Lets the fake's answers (and what they trigger) arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('loading', () => {
  test("the built-ins, the registered datasets (the embedded MNIST chosen) and the studies as the lab lists them", async () => {
    const client = new FakeLabClient();
    client.datasets = [makeDataset({ id: 4, name: 'points', source: '/data/points.csv', origin: 'upload', format: 'csv' }), makeDataset({ id: 1 })];
    client.studies = [makeStudy({ id: 9, name: 'newest' }), makeStudy({ id: 3, name: 'older' })];
    const { state } = await loaded(client);
    expect(state.builtIns.map((b) => b.name)).toEqual(['seed-table', 'random-architectures']);
    expect(state.builtInName).toBe('seed-table');
    expect(state.scale).toBe('tiny');
    expect(state.dataset?.id).toBe(1);
    expect(state.studies.map((s) => s.name)).toEqual(['newest', 'older']);
    expect(state.loaded).toBe(true);
  });

  test('a failed load is shown in words', async () => {
    const client = new FakeLabClient();
    client.fail('listStudies', new LabError('internal', 'the lab did not answer'));
    const { state } = await loaded(client);
    expect(state.loadError).toBe('the lab did not answer');
    expect(state.loaded).toBe(false);
  });
});

describe("the lab's verdict", () => {
  test('a built-in is checked as a request naming it, its scale and dataset; the count and summary are the lab’s', async () => {
    const { client, state } = await loaded();
    state.chooseBuiltIn('random-architectures');
    state.countText = '12';
    expect(state.verdictStatus).toBe('asking');
    client.studyCheck = { spec: makeStudySpec({ architectures: [{ random: { count: 12, seed: 0 } }], seeds: [0, 1] }), runCount: 48, issues: [] };
    await state.checkForm();
    expect(client.callsOf('checkStudy')).toEqual([{ builtIn: 'random-architectures', scale: 'tiny', dataset: 'mnist', count: 12 }]);
    expect(state.verdictStatus).toBe('ready');
    expect(state.runCount).toBe(48);
    expect(state.summary?.product).toBe('12 architectures × 2 optimizer settings × 2 seeds');
    // Another change makes the verdict stale: no count is claimed until the lab answers again.
    state.scale = 'small';
    expect(state.verdictStatus).toBe('asking');
    expect(state.runCount).toBeNull();
  });

  test("the lab's issues are placed at their fields, those of no field in the general list", async () => {
    const { client, state } = await loaded();
    state.source = 'json';
    client.studyCheck = {
      spec: null,
      runCount: 0,
      issues: [
        { field: 'spec.optimizers.0.options.lr', message: 'sgd: option "lr" must be ≥ 0, got -1' },
        { field: 'spec.seeds', message: 'seeds: expected at least one seed' },
        { field: '', message: 'the lab is busy' },
      ],
    };
    await state.checkForm();
    expect(client.callsOf('checkStudy')).toEqual([{ spec: JSON.parse(state.jsonText) }]);
    expect(state.verdictStatus).toBe('refused');
    expect(state.runCount).toBeNull();
    expect(state.summary).toBeNull();
    expect(state.issues.spec).toEqual([
      { where: 'optimizers.0.options.lr', message: 'sgd: option "lr" must be ≥ 0, got -1' },
      { where: 'seeds', message: 'seeds: expected at least one seed' },
    ]);
    expect(state.generalIssues).toEqual([{ where: '', message: 'the lab is busy' }]);
  });

  test('text that is not JSON is said at the spec without asking the lab', async () => {
    const { client, state } = await loaded();
    state.source = 'json';
    state.jsonText = '{"dataset": "mnist",';
    await state.checkForm();
    expect(client.callsOf('checkStudy')).toEqual([]);
    expect(state.verdictStatus).toBe('unreadable');
    expect(state.issues.spec?.[0]?.message).toMatch(/^Not valid JSON/);
  });

  test('a refused check is its one issue, at the field the error names', async () => {
    const { client, state } = await loaded();
    client.fail('checkStudy', new LabError('invalid-request', 'checkStudy: field "scale": expected tiny, small or paper', 'scale'));
    await state.checkForm();
    expect(state.verdictStatus).toBe('refused');
    expect(state.issues.scale).toEqual([{ where: '', message: 'checkStudy: field "scale": expected tiny, small or paper' }]);
  });
});

describe('starting', () => {
  test('Start sends the checked request once, lists the new study first and opens it with its report', async () => {
    const client = new FakeLabClient();
    client.studies = [makeStudy({ id: 3, name: 'older' })];
    const { state } = await loaded(client);
    state.source = 'json';
    await state.checkForm();
    const study = await state.start();
    const request = { spec: JSON.parse(state.jsonText) };
    expect(client.callsOf('checkStudy')).toEqual([request]);
    expect(client.callsOf('startStudy')).toEqual([request]);
    expect(study).toMatchObject({ name: 'small study', runCount: 4, statusCounts: { queued: 4 } });
    expect(state.studies.map((s) => s.id)).toEqual([study!.id, 3]);
    expect(state.selectedId).toBe(study!.id);
    await settle();
    expect(client.callsOf('getStudy')).toEqual([{ id: study!.id }]);
    expect(client.callsOf('studyReport')).toEqual([{ id: study!.id, format: 'html' }]);
    expect(state.report).toEqual({ studyId: study!.id, html: client.studyReportTexts.html });
  });

  test('Start opens the new study once: when it returns, its cells and report are there, each fetched once', async () => {
    const { client, state } = await loaded();
    state.source = 'json';
    const study = await state.start();
    // No waiting for anything else: the screen shows what start opened and opens nothing again.
    expect(state.detail?.study.id).toBe(study!.id);
    expect(state.report?.studyId).toBe(study!.id);
    await settle();
    expect(client.callsOf('getStudy')).toHaveLength(1);
    expect(client.callsOf('studyReport')).toHaveLength(1);
  });

  test('Start without a verdict on this form asks first; with issues it starts nothing and says so', async () => {
    const { client, state } = await loaded();
    client.studyCheck = { spec: null, runCount: 0, issues: [{ field: 'dataset', message: 'dataset: /nowhere: no such folder' }] };
    expect(await state.start()).toBeNull();
    expect(client.callsOf('checkStudy')).toEqual([{ builtIn: 'seed-table', scale: 'tiny', dataset: 'mnist' }]);
    expect(client.callsOf('startStudy')).toEqual([]);
    expect(state.startNote).toBe('Fix what is marked above first.');
    expect(state.issues.dataset).toEqual([{ where: '', message: 'dataset: /nowhere: no such folder' }]);
  });

  test('a form that does not read starts nothing and asks nothing', async () => {
    const { client, state } = await loaded();
    state.chooseBuiltIn('random-architectures');
    state.countText = 'lots';
    expect(await state.start()).toBeNull();
    expect(client.calls.filter((c) => c.method === 'checkStudy' || c.method === 'startStudy')).toEqual([]);
    expect(state.issues.count).toEqual([{ where: '', message: 'Architectures: expected a whole number, got “lots”.' }]);
  });

  test('a start the lab refuses shows its reason at the field it names', async () => {
    const { client, state } = await loaded();
    state.source = 'json';
    await state.checkForm();
    client.fail('startStudy', new LabError('invalid-input', 'the dataset changed meanwhile', 'spec.dataset'));
    expect(await state.start()).toBeNull();
    expect(state.issues.spec).toEqual([{ where: 'dataset', message: 'the dataset changed meanwhile' }]);
    expect(state.verdictStatus).toBe('refused');
  });
});

describe('following the lab', () => {
  const study = (finished: boolean) =>
    makeStudy({ id: 5, runCount: 2, statusCounts: finished ? { completed: 1, diverged: 1 } : { completed: 1, running: 1 }, finished });
  const runs = (finished: boolean) => [
    makeStudyRun({ architecture: 'linear', optimizer: 'sgd' }, { id: 51, experimentId: 5, trainEvalAccuracy: 0.9, valAccuracy: 0.9 }),
    makeStudyRun(
      { architecture: 'linear', optimizer: 'curveball' },
      finished ? { id: 52, experimentId: 5, status: 'diverged', error: 'loss 1.8e19 > 1000 × first' } : { id: 52, experimentId: 5, status: 'running', totalSteps: 40 },
    ),
  ];

  async function withOpenStudy(): Promise<{ client: FakeLabClient; state: StudiesState; stop: () => void }> {
    const client = new FakeLabClient();
    client.studies = [study(false)];
    client.studyRuns.set(5, runs(false));
    const state = new StudiesState(client, { refreshIntervalMs: 0 });
    const stop = state.attach();
    await settle();
    await state.open(5);
    client.calls.length = 0;
    return { client, state, stop };
  }

  test('an open study shows its cells, and its running runs move with run-progress', async () => {
    const { client, state, stop } = await withOpenStudy();
    expect(state.grid?.optimizers).toEqual(['sgd', 'curveball']);
    expect(state.grid?.cells[0]![1]).toMatchObject({ runIds: [52], counts: { running: 1 } });
    client.emit({ type: 'run-progress', runId: 52, step: 9, totalSteps: 40, epoch: 0.2, loss: 1.5, accuracy: 0.5, seconds: 3, trace: {} });
    client.emit({ type: 'run-progress', runId: 99, step: 1, totalSteps: 40, epoch: 0, loss: 1, accuracy: null, seconds: 1, trace: {} });
    expect(Object.keys(state.live)).toEqual(['52']);
    expect(state.live[52]?.step).toBe(9);
    // Progress alone refetches nothing.
    expect(client.calls).toEqual([]);
    stop();
  });

  test("a study's run ending refetches the list and the open study; finishing refetches its report, once", async () => {
    const { client, state, stop } = await withOpenStudy();
    client.studies = [study(true)];
    client.studyRuns.set(5, runs(true));
    const ended = runs(true)[1]!;
    client.emit({ type: 'run-status', runId: 52, run: ended });
    await vi.waitFor(() => expect(state.detail?.study.finished).toBe(true));
    await settle();
    expect(client.callsOf('listStudies')).toHaveLength(1);
    expect(client.callsOf('getStudy')).toEqual([{ id: 5 }]);
    expect(client.callsOf('studyReport')).toEqual([{ id: 5, format: 'html' }]);
    expect(state.studies[0]?.statusCounts).toEqual({ completed: 1, diverged: 1 });
    // Failures are named, with why; the live progress of the ended run is dropped.
    expect(state.failures.map((r) => [r.id, r.status, r.error])).toEqual([[52, 'diverged', 'loss 1.8e19 > 1000 × first']]);
    expect(state.live).toEqual({});
    // Another event on the finished study does not fetch the report again.
    client.emit({ type: 'studies-changed' });
    await vi.waitFor(() => expect(client.callsOf('listStudies')).toHaveLength(2));
    await settle();
    expect(client.callsOf('studyReport')).toHaveLength(1);
    stop();
  });

  test('a run of the open study deleted (no record, so no experiment) refetches it', async () => {
    const { client, state, stop } = await withOpenStudy();
    client.studyRuns.set(5, runs(false).slice(0, 1));
    client.emit({ type: 'run-status', runId: 52, run: null });
    await vi.waitFor(() => expect(state.detail?.runs.map((r) => r.id)).toEqual([51]));
    expect(client.callsOf('getStudy')).toEqual([{ id: 5 }]);
    stop();
  });

  test('runs of experiments that are no study are ignored', async () => {
    const { client, state, stop } = await withOpenStudy();
    client.emit({ type: 'run-status', runId: 7, run: makeRun({ id: 7, experimentId: 2 }) });
    await settle();
    expect(client.calls).toEqual([]);
    expect(state.studies).toHaveLength(1);
    stop();
  });

  test('a new study elsewhere (studies-changed) is listed; a deleted open study is closed', async () => {
    const { client, state, stop } = await withOpenStudy();
    client.studies = [makeStudy({ id: 8, name: 'from the CLI' })];
    client.emit({ type: 'studies-changed' });
    await vi.waitFor(() => expect(state.studies.map((s) => s.id)).toEqual([8]));
    expect(state.selectedId).toBeNull();
    expect(state.detail).toBeNull();
    stop();
  });

  test('datasets-changed reloads the datasets', async () => {
    const { client, state, stop } = await withOpenStudy();
    client.datasets = [makeDataset(), makeDataset({ id: 2, name: 'fashion', source: '/data/fashion', origin: 'path', format: 'idx' })];
    client.emit({ type: 'datasets-changed' });
    await vi.waitFor(() => expect(state.datasets.map((d) => d.name)).toEqual(['mnist', 'fashion']));
    stop();
  });

  test('stopping unsubscribes', async () => {
    const { client, stop } = await withOpenStudy();
    stop();
    expect(client.listenerCount).toBe(0);
  });
});

describe('resuming', () => {
  /** A study a closed lab left at 1 of 3: one run completed, two interrupted. */
  async function withPausedStudy(): Promise<{ client: FakeLabClient; state: StudiesState }> {
    const client = new FakeLabClient();
    client.studies = [makeStudy({ id: 7, runCount: 3, statusCounts: { completed: 1, interrupted: 2 }, finished: false })];
    client.studyRuns.set(7, [
      makeStudyRun({ architecture: 'linear', optimizer: 'sgd' }, { id: 71, experimentId: 7 }),
      makeStudyRun({ architecture: 'linear', optimizer: 'curveball' }, { id: 72, experimentId: 7, status: 'interrupted' }),
      makeStudyRun({ architecture: 'mlp', optimizer: 'sgd' }, { id: 73, experimentId: 7, status: 'interrupted' }),
    ]);
    const { state } = await loaded(client);
    await state.open(7);
    client.calls.length = 0;
    return { client, state };
  }

  test('Resume asks the lab to train the interrupted runs again and shows them queued, the rest kept', async () => {
    const { client, state } = await withPausedStudy();
    await state.resume();
    expect(client.callsOf('resumeStudy')).toEqual([{ id: 7 }]);
    expect(client.callsOf('getStudy')).toEqual([{ id: 7 }]);
    expect(state.studies[0]?.statusCounts).toEqual({ completed: 1, queued: 2 });
    expect(state.detail?.runs.map((r) => [r.id, r.status])).toEqual([
      [71, 'completed'],
      [72, 'queued'],
      [73, 'queued'],
    ]);
    expect(state.resumeError).toBe('');
    expect(state.resuming).toBe(false);
  });

  test("the lab's refusal (another lab trains the study) is said in words, and left behind with the study", async () => {
    const { client, state } = await withPausedStudy();
    const refusal = 'study 7: 2 of its runs are queued or training in another CurveLab process (4242); resume it when that has stopped';
    client.fail('resumeStudy', new LabError('conflict', refusal));
    await state.resume();
    expect(state.resumeError).toBe(refusal);
    expect(state.resuming).toBe(false);
    expect(state.detail?.study.statusCounts).toEqual({ completed: 1, interrupted: 2 });
    state.close();
    expect(state.resumeError).toBe('');
  });

  test('with no study open, Resume asks nothing', async () => {
    const { client, state } = await loaded();
    await state.resume();
    expect(client.callsOf('resumeStudy')).toEqual([]);
  });
});

describe('the report', () => {
  test('downloads in each format as the lab writes it; a refusal is said in words', async () => {
    const client = new FakeLabClient();
    client.studies = [makeStudy({ id: 5 })];
    const { state } = await loaded(client);
    await state.open(5);
    expect(await state.download('markdown')).toEqual({ fileName: 'study-5.md', text: client.studyReportTexts.markdown });
    expect(await state.download('csv')).toEqual({ fileName: 'study-5.csv', text: client.studyReportTexts.csv });
    client.fail('studyReport', new LabError('internal', 'the database is locked'));
    expect(await state.download('html')).toBeNull();
    expect(state.downloadError).toBe('the database is locked');
    expect(state.downloading).toBeNull();
  });

  test('an answer for a study no longer open is dropped', async () => {
    const client = new FakeLabClient();
    client.studies = [makeStudy({ id: 5 }), makeStudy({ id: 6 })];
    const { state } = await loaded(client);
    const first = state.open(5);
    const second = state.open(6);
    await Promise.all([first, second]);
    expect(state.detail?.study.id).toBe(6);
    expect(state.report?.studyId).toBe(6);
  });
});
