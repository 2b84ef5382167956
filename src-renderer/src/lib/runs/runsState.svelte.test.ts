import { describe, expect, test } from 'vitest';
import type { LabEvent, RunInfo } from '$api/labApi';
import { LabError } from '$api/labErrors';
import { FakeLabClient, makeExperiment, makeRun, makeSpec } from '../lab/fakeLabClient.testkit';
import { RunSelection } from './runSelection.svelte';
import { RunsState } from './runsState.svelte';

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Two experiments: #1 with an SGD and a CurveBall run (completed), #2 with a running Adam run. */
function labWithRuns(): FakeLabClient {
  const client = new FakeLabClient();
  client.experiments = [makeExperiment({ id: 1, name: 'first' }), makeExperiment({ id: 2, name: 'second', tags: ['adam'] })];
  client.runs = [
    makeRun({ id: 10, experimentId: 1, optimizer: 'sgd', spec: makeSpec({ optimizer: 'sgd', seed: 0 }), status: 'completed', bestValAccuracy: 0.91, valAccuracy: 0.9 }),
    makeRun({ id: 11, experimentId: 1, optimizer: 'curveball', spec: makeSpec({ optimizer: 'curveball', seed: 0 }), status: 'completed', bestValAccuracy: 0.95, valAccuracy: 0.95 }),
    makeRun({ id: 20, experimentId: 2, optimizer: 'adam', spec: makeSpec({ optimizer: 'adam', seed: 1 }), status: 'running', totalSteps: 100, storedSteps: 10 }),
  ];
  return client;
}

async function attached(client = labWithRuns(), selection: RunSelection | null = null): Promise<RunsState> {
  const state = new RunsState(client, selection);
  state.attach();
  await settle();
  return state;
}

const groupIds = (state: RunsState): [number, number[]][] => state.groups.map((g) => [g.experiment.id, g.runs.map((r) => r.id)]);

describe('loading and grouping', () => {
  test('experiments newest first, each with its runs; counts of running and queued', async () => {
    const state = await attached();
    expect(groupIds(state)).toEqual([
      [2, [20]],
      [1, [10, 11]],
    ]);
    expect(state.counts).toEqual({ running: 1, queued: 0 });
  });

  test('a failed load says why', async () => {
    const client = labWithRuns();
    client.fail('listRuns', new LabError('internal', 'the lab did not answer'));
    const state = await attached(client);
    expect(state.errors.list).toBe('the lab did not answer');
  });
});

describe('events', () => {
  test('run-status adds a new run and replaces a known one', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    const queued = makeRun({ id: 12, experimentId: 1, status: 'queued', backend: null });
    client.emit({ type: 'run-status', runId: 12, run: queued });
    expect(state.counts).toEqual({ running: 1, queued: 1 });
    client.emit({ type: 'run-status', runId: 12, run: { ...queued, status: 'running', totalSteps: 50 } });
    expect(state.runs.find((r) => r.id === 12)?.status).toBe('running');
    expect(state.counts).toEqual({ running: 2, queued: 0 });
  });

  test('run-status with no run removes it (and from the selection)', async () => {
    const client = labWithRuns();
    const selection = new RunSelection();
    selection.toggleAll([10, 11]);
    const state = await attached(client, selection);
    client.emit({ type: 'run-status', runId: 10, run: null });
    expect(groupIds(state)).toEqual([
      [2, [20]],
      [1, [11]],
    ]);
    expect(selection.ids).toEqual([11]);
  });

  test('run-progress moves the bar; the end of the run drops the live entry', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    const run20 = (): RunInfo => state.runs.find((r) => r.id === 20)!;
    expect(state.progress(run20())).toEqual({ done: 10, total: 100, fraction: 0.1 });
    client.emit({ type: 'run-progress', runId: 20, step: 59, totalSteps: 100, epoch: 0, loss: 0.5, accuracy: 0.8, seconds: 4, trace: { lr: 0.001 } });
    expect(state.progress(run20())).toEqual({ done: 60, total: 100, fraction: 0.6 });
    client.emit({ type: 'run-status', runId: 20, run: { ...run20(), status: 'completed', steps: 100, storedSteps: 100 } });
    expect(state.live).toEqual({});
    expect(state.progress(run20())).toEqual({ done: 100, total: 100, fraction: 1 });
  });

  test('a run that diverges shows as diverged with its reason, under the Diverged filter and found by the reason\'s words', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    const reason = "the batch loss 1.80e+19 at step 40 exceeds 1000 × the first step's 2.30";
    const running = state.runs.find((r) => r.id === 20)!;
    client.emit({ type: 'run-status', runId: 20, run: { ...running, status: 'diverged', steps: 41, error: reason } });
    expect(state.runs.find((r) => r.id === 20)).toMatchObject({ status: 'diverged', error: reason });
    expect(state.counts).toEqual({ running: 0, queued: 0 });
    state.statusFilter = 'diverged';
    expect(groupIds(state)).toEqual([[2, [20]]]);
    state.statusFilter = 'all';
    state.filterText = 'exceeds 1000';
    expect(groupIds(state)).toEqual([[2, [20]]]);
  });

  test('a late "running" event does not undo the end of a run', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    const completed = state.runs.find((r) => r.id === 10)!;
    client.emit({ type: 'run-status', runId: 10, run: { ...completed, status: 'running' } });
    client.emit({ type: 'run-progress', runId: 10, step: 3, totalSteps: 100, epoch: 0, loss: 1, accuracy: null, seconds: 1, trace: {} });
    expect(state.runs.find((r) => r.id === 10)?.status).toBe('completed');
    expect(state.live).toEqual({});
  });

  test('run-epoch updates final and best validation metrics', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    const epoch = (e: number, valLoss: number, valAccuracy: number): LabEvent => ({
      type: 'run-epoch',
      runId: 20,
      epoch: { epoch: e, steps: 50 * (e + 1), seconds: 1, passes: 100, trainLoss: 0.4, trainAccuracy: 0.9, valLoss, valAccuracy },
    });
    client.emit(epoch(0, 0.3, 0.92));
    client.emit(epoch(1, 0.35, 0.9));
    const run = state.runs.find((r) => r.id === 20)!;
    expect([run.valLoss, run.valAccuracy, run.bestValLoss, run.bestValAccuracy]).toEqual([0.35, 0.9, 0.3, 0.92]);
  });

  test('experiments-changed reloads everything', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    client.experiments.push(makeExperiment({ id: 3, name: 'imported' }));
    client.runs.push(makeRun({ id: 30, experimentId: 3 }));
    client.emit({ type: 'experiments-changed' });
    await settle();
    expect(groupIds(state)[0]).toEqual([3, [30]]);
  });

  test('events during a load are applied after it', async () => {
    const client = labWithRuns();
    const state = new RunsState(client);
    state.attach();
    client.emit({ type: 'run-progress', runId: 20, step: 79, totalSteps: 100, epoch: 0, loss: 0.5, accuracy: 0.8, seconds: 4, trace: {} });
    await settle();
    expect(state.progress(state.runs.find((r) => r.id === 20)!)?.done).toBe(80);
  });
});

describe('filter and sort', () => {
  test('text and status filters hide runs and empty experiments', async () => {
    const state = await attached();
    state.filterText = 'curveball';
    expect(groupIds(state)).toEqual([[1, [11]]]);
    state.filterText = '';
    state.statusFilter = 'active';
    expect(groupIds(state)).toEqual([[2, [20]]]);
    state.statusFilter = 'all';
    state.filterText = 'adam';
    // The tag of experiment 2 and the optimizer of run 20 both say adam.
    expect(groupIds(state)).toEqual([[2, [20]]]);
  });

  test('filter expressions narrow the table; a mistake is shown, not thrown, and its term left out', async () => {
    const state = await attached();
    state.filterText = 'optimizer!=sgd status=completed';
    expect(groupIds(state)).toEqual([[1, [11]]]);
    state.filterText = 'seed>0';
    expect(groupIds(state)).toEqual([[2, [20]]]);
    expect(state.filterErrors).toEqual([]);
    state.filterText = 'acc>abc sedd=1 first';
    expect(state.filterErrors).toEqual(['“acc>abc”: > needs a number, got “abc”', 'no run has a key “sedd”']);
    // Both mistaken terms are left out; the word still filters.
    expect(groupIds(state)).toEqual([[1, [10, 11]]]);
  });

  test('hyperparameter columns: offered from the runs\' config keys, placed after Seed, sortable', async () => {
    const client = labWithRuns();
    client.runs[0] = { ...client.runs[0]!, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr: 0.1 } }) };
    client.runs[1] = { ...client.runs[1]!, spec: makeSpec({ optimizer: 'curveball', optimizerOptions: { lr: 0.01 } }) };
    const state = await attached(client);
    expect(state.paramColumnChoices).toEqual(['opt.lr', 'batchSize', 'steps', 'shuffle', 'init']);
    state.toggleParamColumn('opt.lr');
    expect(state.columns.map((c) => c.key).slice(5, 8)).toEqual(['seed', 'param:opt.lr', 'bestValAccuracy']);
    expect(state.columnCount).toBe(15);
    state.setSort('param:opt.lr');
    expect(groupIds(state)).toEqual([
      [2, [20]],
      [1, [11, 10]],
    ]);
    state.toggleParamColumn('opt.lr');
    expect(state.sort).toEqual({ key: 'id', descending: false });
  });

  test('the chosen hyperparameter columns are remembered: a new Runs screen (a reload) starts with them', async () => {
    const items: Record<string, string> = {};
    const storage = { getItem: (k: string) => items[k] ?? null, setItem: (k: string, v: string) => void (items[k] = v) };
    const first = new RunsState(labWithRuns(), null, storage);
    first.toggleParamColumn('batchSize');
    first.toggleParamColumn('opt.lr');
    first.toggleParamColumn('batchSize');
    expect(new RunsState(labWithRuns(), null, storage).paramColumns).toEqual(['opt.lr']);
  });

  test('the leaderboard ranks runs across experiments by best validation error, and follows the filter', async () => {
    const state = await attached();
    state.showLeaderboard('error');
    expect(state.view).toBe('leaderboard');
    expect(state.leaderboard.map((r) => [r.run.id, r.rank])).toEqual([
      [11, 1],
      [10, 2],
      [20, null],
    ]);
    state.filterText = 'status=completed';
    expect(state.leaderboard.map((r) => r.run.id)).toEqual([11, 10]);
    state.showExperiments();
    expect(state.view).toBe('experiments');
  });

  test('sorting by a column within each experiment, clicking again reverses', async () => {
    const state = await attached();
    state.setSort('bestValAccuracy');
    expect(groupIds(state)[1]).toEqual([1, [11, 10]]);
    state.setSort('bestValAccuracy');
    expect(groupIds(state)[1]).toEqual([1, [10, 11]]);
    state.setSort('optimizer');
    expect(groupIds(state)[1]).toEqual([1, [11, 10]]);
  });
});

describe('actions', () => {
  test('cancel replaces the run; a refusal is shown on its row', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    await state.cancel(20);
    expect(client.callsOf('cancelRun')).toEqual([{ id: 20 }]);
    expect(state.runs.find((r) => r.id === 20)?.status).toBe('cancelled');
    client.fail('cancelRun', new LabError('conflict', 'cancelRun: run 10 has already ended (completed)'));
    await state.cancel(10);
    expect(state.errors['run:10']).toBe('cancelRun: run 10 has already ended (completed)');
    expect(state.pending).toEqual([]);
  });

  test('resume queues an interrupted run again; a refusal is shown on its row', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    await state.resume(20);
    expect(client.callsOf('resumeRun')).toEqual([{ id: 20 }]);
    expect(state.runs.find((r) => r.id === 20)?.status).toBe('queued');
    client.fail('resumeRun', new LabError('conflict', 'run 10 is completed: only an interrupted run can be resumed'));
    await state.resume(10);
    expect(state.errors['run:10']).toBe('run 10 is completed: only an interrupted run can be resumed');
    expect(state.pending).toEqual([]);
  });

  test('delete an experiment removes it and its runs', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    state.askDelete('experiment:1');
    expect(state.confirmingDelete).toBe('experiment:1');
    await state.deleteExperiment(1);
    expect(state.confirmingDelete).toBeNull();
    expect(groupIds(state)).toEqual([[2, [20]]]);
  });

  test('editing tags and notes of a run and an experiment', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    state.beginEdit('run', 10);
    state.editing!.tagsText = 'baseline,  fig 2';
    state.editing!.notesText = 'lr too small';
    await state.saveEdit();
    expect(client.callsOf('updateRun')).toEqual([{ id: 10, tags: ['baseline', 'fig 2'], notes: 'lr too small' }]);
    expect(state.editing).toBeNull();
    expect(state.runs.find((r) => r.id === 10)?.tags).toEqual(['baseline', 'fig 2']);

    state.beginEdit('experiment', 2);
    expect(state.editing?.tagsText).toBe('adam');
    state.editing!.tagsText = 'adam, tuned';
    await state.saveEdit();
    expect(client.callsOf('updateExperiment')).toEqual([{ id: 2, tags: ['adam', 'tuned'], notes: '' }]);
    expect(state.experiments.find((e) => e.id === 2)?.tags).toEqual(['adam', 'tuned']);
  });

  test('a bad tag or a refused save keeps the editor open with the reason', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    state.beginEdit('run', 10);
    state.editing!.tagsText = 'x'.repeat(61);
    await state.saveEdit();
    expect(state.editing?.error).toMatch(/^tags: .* longer than 60 characters$/);
    state.editing!.tagsText = 'ok';
    client.fail('updateRun', new LabError('not-found', 'updateRun: no run with id 10', 'id'));
    await state.saveEdit();
    expect(state.editing?.error).toBe('updateRun: no run with id 10');
    expect(state.editing?.saving).toBe(false);
  });

  test('export keeps the archive for its download link', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    const file = await state.exportExperiment(1);
    expect(file?.fileName).toBe('experiment-1.curvelab.zip');
    expect(state.exported?.experimentId).toBe(1);
  });

  test('import reports the runs imported, or that the archive was already there', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    const archive = { name: 'sweep.curvelab.zip', arrayBuffer: async () => new Uint8Array([80, 75]).buffer as ArrayBuffer };
    client.importResult = { experiment: makeExperiment({ id: 7, name: 'sweep' }), runCount: 4, alreadyPresent: false };
    await state.importArchive(archive);
    expect(client.callsOf('importArchive')).toEqual([{ base64: 'UEs=', fileName: 'sweep.curvelab.zip' }]);
    expect(state.importOutcome?.text).toBe('Imported 4 runs into “sweep”.');
    client.importResult = { experiment: makeExperiment({ id: 7, name: 'sweep' }), runCount: 4, alreadyPresent: true };
    await state.importArchive(archive);
    expect(state.importOutcome?.text).toBe('Already imported: “sweep” (4 runs) is in the database; nothing was written.');
    client.importResult = null;
    await state.importArchive(archive);
    expect(state.errors.import).toBe('sweep.curvelab.zip: importArchive: not a CurveLab archive');
  });

  test('an archive that differs from the experiment already here: the error, then an offer to import it as a copy', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    const archive = { name: 'later.curvelab', arrayBuffer: async () => new Uint8Array([80, 75]).buffer as ArrayBuffer };
    client.fail('importArchive', new LabError('conflict', 'the archive differs from it (experiment.json: the column notes differs)'));
    await state.importArchive(archive);
    expect(state.errors.import).toBe('later.curvelab: the archive differs from it (experiment.json: the column notes differs)');
    expect(state.importConflict).toBe(archive);

    client.importResult = { experiment: makeExperiment({ id: 8, name: 'sweep (copy)' }), runCount: 2, alreadyPresent: false };
    await state.importArchive(state.importConflict!, { asCopy: true });
    expect(client.callsOf('importArchive').at(-1)).toEqual({ base64: 'UEs=', fileName: 'later.curvelab', asCopy: true });
    expect(state.importOutcome?.text).toBe('Imported 2 runs into “sweep (copy)”.');
    expect(state.importConflict).toBeNull();
    expect(state.errors.import).toBeUndefined();

    // Any other refusal offers nothing.
    client.importResult = null;
    await state.importArchive(archive);
    expect(state.importConflict).toBeNull();
  });

  test('started runs show at once, their experiment open and the filter cleared', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    state.filterText = 'sgd';
    state.toggleExpanded(1);
    const run = makeRun({ id: 12, experimentId: 1, status: 'queued' });
    state.noteStarted({ experiment: makeExperiment({ id: 1, name: 'first' }), runs: [run] });
    expect(state.isExpanded(1)).toBe(true);
    expect(state.filterText).toBe('');
    expect(groupIds(state)[1]).toEqual([1, [10, 11, 12]]);
  });
});

describe('run details', () => {
  test('opening a run from elsewhere opens its experiment, keeps a filter that shows it, and reads its history', async () => {
    const client = labWithRuns();
    client.runHistory.set(10, [{ at: '2026-01-01T10:00:00.000Z', event: 'taken by worker box-a' }]);
    const state = await attached(client);
    state.toggleExpanded(1);
    state.filterText = 'sgd';
    state.openRun(10);
    await settle();
    expect(state.isExpanded(1)).toBe(true);
    expect(state.filterText).toBe('sgd');
    expect(state.details.isOpen(10)).toBe(true);
    expect(state.details.history.map((e) => e.event)).toEqual(['taken by worker box-a']);
  });

  test('opening a run the filter hides clears the filter', async () => {
    const state = await attached();
    state.filterText = 'curveball';
    state.statusFilter = 'completed';
    state.openRun(20);
    expect(state.filterText).toBe('');
    expect(state.statusFilter).toBe('all');
    expect(groupIds(state)[0]).toEqual([2, [20]]);
  });

  test('a change of the open run reads its history again; its deletion closes the details', async () => {
    const client = labWithRuns();
    const state = await attached(client);
    state.openRun(20);
    await settle();
    client.runHistory.set(20, [{ at: '2026-01-01T10:05:00.000Z', event: 'moved to worker box-b' }]);
    client.emit({ type: 'run-status', runId: 20, run: makeRun({ id: 20, experimentId: 2, status: 'running', worker: 'box-b' }) });
    await settle();
    expect(client.callsOf('getRunHistory')).toEqual([{ id: 20 }, { id: 20 }]);
    expect(state.details.history.map((e) => e.event)).toEqual(['moved to worker box-b']);

    client.emit({ type: 'run-status', runId: 20, run: null });
    expect(state.details.runId).toBeNull();
  });
});
