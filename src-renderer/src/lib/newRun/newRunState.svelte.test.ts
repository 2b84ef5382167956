import { describe, expect, test } from 'vitest';
import { LabError } from '$api/labErrors';
import { FakeLabClient, mlpDescription } from '../lab/fakeLabClient.testkit';
import { NewRunState } from './newRunState.svelte';

async function loaded(client = new FakeLabClient()): Promise<{ client: FakeLabClient; state: NewRunState }> {
  const state = new NewRunState(client);
  await state.load();
  return { client, state };
}

describe('loading', () => {
  test('picks the first dataset and the mlp preset with its defaults; every optimizer gets its defaults', async () => {
    const { state } = await loaded();
    expect(state.dataset?.name).toBe('mnist');
    expect(state.presetName).toBe('mlp');
    expect(state.presetValues).toEqual({ mlp: { widths: '128', activation: 'relu' } });
    expect(state.optionInputs.curveball).toEqual({ lambda: '1', autoLambda: true, lambdaInterval: '5', lr: '' });
    expect(state.optionInputs.sgd).toEqual({ lr: '0.01' });
    expect(state.backend?.name).toBe('cpu-blas');
    expect(state.selectedOptimizers).toEqual([]);
  });

  test("a lab with a queue gives its address: runs train on the queue's workers", async () => {
    expect((await loaded()).state.queueAddress).toBeNull();
    const client = new FakeLabClient();
    client.machine.queue = { address: 'redis://10.0.0.5:6379', labId: 'lab-1' };
    expect((await loaded(client)).state.queueAddress).toBe('redis://10.0.0.5:6379');
  });

  test('a failed load is shown in words', async () => {
    const client = new FakeLabClient();
    client.fail('listOptimizers', new LabError('internal', 'the lab did not answer'));
    const { state } = await loaded(client);
    expect(state.loadError).toBe('the lab did not answer');
    expect(state.loaded).toBe(false);
  });
});

describe('starting', () => {
  test('one optimizer and one seed sends one startRuns request with the form as typed, checked first', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('curveball', true);
    state.setOption('curveball', 'lambda', '10');
    state.setPresetOption('widths', '32');
    state.bound = 'steps';
    state.stepsText = '30';
    state.seedsText = '4';
    expect(state.runCount).toBe(1);
    const started = await state.start();
    const request = {
      base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '32' }, steps: 30, batchSize: 64 },
      optimizers: [{ name: 'curveball', options: { lambda: 10 } }],
      seeds: [4],
    };
    expect(client.callsOf('checkRuns')).toEqual([request]);
    expect(client.callsOf('startRuns')).toEqual([request]);
    expect(started?.runs.map((r) => r.status)).toEqual(['queued']);
    expect(started?.experiment.name).toBe(client.chosenExperimentName);
  });

  test("two optimizers × two seeds sends the same one startRuns request, optimizers in the lab's order", async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('curveball', true);
    state.toggleOptimizer('sgd', true);
    state.seedsText = '0, 1';
    state.experimentName = 'first sweep';
    expect(state.runCount).toBe(4);
    const started = await state.start();
    expect(client.callsOf('startRuns')).toEqual([
      {
        experimentName: 'first sweep',
        base: { dataset: 'mnist', arch: 'mlp', epochs: 1, batchSize: 64 },
        optimizers: [{ name: 'sgd' }, { name: 'curveball' }],
        seeds: [0, 1],
      },
    ]);
    expect(started?.runs).toHaveLength(4);
    expect(started?.experiment.name).toBe('first sweep');
  });

  test('unticking removes the optimizer', async () => {
    const { state } = await loaded();
    state.toggleOptimizer('adam', true);
    state.toggleOptimizer('sgd', true);
    state.toggleOptimizer('adam', false);
    expect(state.selectedOptimizers).toEqual(['sgd']);
  });

  test('form errors stop the start, field by field, with no call', async () => {
    const { client, state } = await loaded();
    state.seedsText = '0, 1,x';
    expect(await state.start()).toBeNull();
    expect(state.errors).toEqual({
      optimizers: 'optimizers: tick at least one optimizer',
      seeds: 'seeds: "x" is not a whole number ≥ 0 or a range like 0-4',
    });
    expect(state.startError).toBe('Fix the fields marked above first.');
    expect(client.callsOf('checkRuns')).toEqual([]);
    expect(client.callsOf('startRuns')).toEqual([]);
  });

  test('what the form cannot read shows as it is typed; a choice not yet made waits for Start', async () => {
    const { state } = await loaded();
    state.batchSizeText = 'many';
    expect(state.errors).toEqual({ batchSize: 'batch size: expected a number, got "many" (or "full" for full-batch training)' });
    await state.start();
    expect(Object.keys(state.errors).sort()).toEqual(['batchSize', 'optimizers']);
  });

  test("the lab's verdict is shown at its fields, and Start then starts nothing", async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    state.toggleOptimizer('curveball', true);
    state.setOption('curveball', 'lr', '-1');
    state.batchSizeText = '0';
    client.runsIssues = [
      { field: 'base.batchSize', message: 'batch size: must be ≥ 1, got 0' },
      { field: 'optimizers.1.options.lr', message: 'curveball: option "lr" must be ≥ 0, got -1' },
      { field: 'optimizers.1', message: 'curveball: give lr and momentum together' },
    ];
    await state.check();
    expect(state.errors).toEqual({
      batchSize: 'batch size: must be ≥ 1, got 0',
      'option:curveball.lr': 'curveball: option "lr" must be ≥ 0, got -1',
      'optimizer:curveball': 'curveball: give lr and momentum together',
    });
    expect(state.startError).toBe('');
    expect(await state.start()).toBeNull();
    expect(state.startError).toBe('Fix the fields marked above first.');
    expect(client.callsOf('checkRuns')).toHaveLength(1); // the verdict on this very request is not asked again
    expect(client.callsOf('startRuns')).toEqual([]);
  });

  test('an issue with no field on the form goes to the line beside Start', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    client.runsIssues = [{ field: 'base.shuffle', message: 'shuffle: expected a boolean' }];
    expect(await state.start()).toBeNull();
    expect(state.errors).toEqual({});
    expect(state.startError).toBe('shuffle: expected a boolean');
  });

  test('a check the lab refuses outright is shown at the field it names', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    client.fail('checkRuns', new LabError('invalid-input', "checkRuns: field 'base.batchSize': expected an integer", 'base.batchSize'));
    await state.check();
    expect(state.errors).toEqual({ batchSize: "checkRuns: field 'base.batchSize': expected an integer" });
  });

  test('a refusal from the lab is shown at the field it names', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    client.fail('startRuns', new LabError('invalid-input', "startRuns: field 'base.batchSize': larger than the training set (54000)", 'base.batchSize'));
    expect(await state.start()).toBeNull();
    expect(state.errors).toEqual({ batchSize: "startRuns: field 'base.batchSize': larger than the training set (54000)" });
    expect(state.starting).toBe(false);
  });

  test('a refusal from the lab without a field is shown beside the Start button', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    client.fail('startRuns', new LabError('internal', 'the lab did not answer'));
    expect(await state.start()).toBeNull();
    expect(state.startError).toBe('the lab did not answer');
    expect(state.starting).toBe(false);
  });

  test('a form that no longer reads drops the last verdict', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    client.runsIssues = [{ field: 'seeds', message: 'seeds: too many' }];
    await state.check();
    expect(state.errors).toEqual({ seeds: 'seeds: too many' });
    state.toggleOptimizer('sgd', false);
    await state.check();
    expect(state.errors).toEqual({});
  });

  test('an answer to an older check is dropped', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    const answer = client.checkRuns;
    let releaseFirst = (): void => {};
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    // The check of batch size 0 answers last, after the check of the form as it is now.
    client.checkRuns = async (p) => {
      if (p.base.batchSize !== 0) return answer(p);
      await firstHeld;
      return { runCount: 0, experimentName: 'x', issues: [{ field: 'base.batchSize', message: 'batch size: must be ≥ 1, got 0' }] };
    };
    state.batchSizeText = '0';
    const first = state.check();
    state.batchSizeText = '32';
    await state.check();
    releaseFirst();
    await first;
    expect(client.callsOf('checkRuns').map((p) => p.base.batchSize)).toEqual([32]);
    expect(state.errors).toEqual({});
  });
});

describe('the experiment name', () => {
  test("is suggested by the lab's check while the field is empty", async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    client.chosenExperimentName = 'mnist · mlp · sgd';
    await state.check();
    expect(client.callsOf('checkRuns')[0]).not.toHaveProperty('experimentName');
    expect(state.suggestedName).toBe('mnist · mlp · sgd');
    state.experimentName = 'mine';
    client.chosenExperimentName = 'something else';
    await state.check();
    expect(client.callsOf('checkRuns')[1]?.experimentName).toBe('mine');
    expect(state.suggestedName).toBe('mnist · mlp · sgd');
  });
});

describe('the architecture table', () => {
  test('describes the preset for the chosen dataset', async () => {
    const { client, state } = await loaded();
    state.setPresetOption('widths', '16');
    await state.describe();
    expect(client.callsOf('describeArchitecture')).toEqual([{ arch: 'mlp', archOptions: { widths: '16' }, datasetId: 1 }]);
    expect(state.description?.paramCount).toBe(784 * 16 + 16 + 16 * 10 + 10);
    expect(state.architectureError).toBe('');
  });

  test('invalid JSON shows the error under the text area without a call', async () => {
    const { client, state } = await loaded();
    state.architectureMode = 'json';
    state.jsonText = '{"layers": [';
    await state.describe();
    expect(state.architectureError).toMatch(/^spec JSON: \S/);
    expect(state.description).toBeNull();
    expect(client.callsOf('describeArchitecture')).toEqual([]);
  });

  test("a spec the engine rejects shows the engine's words", async () => {
    const { state } = await loaded();
    state.architectureMode = 'json';
    state.jsonText = '{"layers": 3}';
    await state.describe();
    expect(state.architectureError).toBe('model spec: layers: expected an array');
  });

  test('an answer to an older request is dropped', async () => {
    const { client, state } = await loaded();
    const first = state.describe();
    state.setPresetOption('widths', '8');
    const second = state.describe();
    await Promise.all([first, second]);
    expect(client.callsOf('describeArchitecture')).toHaveLength(2);
    expect(state.description).toEqual(mlpDescription('8'));
  });

  test('the describe key changes with the dataset and the architecture only', async () => {
    const { state } = await loaded();
    const key = state.describeKey;
    state.seedsText = '1,2';
    expect(state.describeKey).toBe(key);
    state.setPresetOption('widths', '64');
    expect(state.describeKey).not.toBe(key);
  });
});

describe('the seed field', () => {
  test('is read as the user types', async () => {
    const { state } = await loaded();
    state.seedsText = '0, 1,2';
    expect(state.seeds).toEqual({ ok: true, value: [0, 1, 2] });
    expect(state.seedCount).toBe(3);
    state.seedsText = '0, 1,x';
    expect(state.seeds).toEqual({ ok: false, error: 'seeds: "x" is not a whole number ≥ 0 or a range like 0-4' });
  });
});
