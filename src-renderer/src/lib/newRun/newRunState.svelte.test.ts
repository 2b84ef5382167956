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

  test('a failed load is shown in words', async () => {
    const client = new FakeLabClient();
    client.fail('listOptimizers', new LabError('internal', 'the lab did not answer'));
    const { state } = await loaded(client);
    expect(state.loadError).toBe('the lab did not answer');
    expect(state.loaded).toBe(false);
  });
});

describe('starting', () => {
  test('one optimizer and one seed sends startRun with the form as typed', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('curveball', true);
    state.setOption('curveball', 'lambda', '10');
    state.setPresetOption('widths', '32');
    state.bound = 'steps';
    state.stepsText = '30';
    state.seedsText = '4';
    expect(state.isSweep).toBe(false);
    const started = await state.start();
    expect(client.callsOf('startRun')).toEqual([
      {
        spec: {
          dataset: 'mnist',
          arch: 'mlp',
          archOptions: { widths: '32' },
          steps: 30,
          batchSize: 64,
          optimizer: 'curveball',
          optimizerOptions: { lambda: 10 },
          seed: 4,
        },
      },
    ]);
    expect(started?.runs.map((r) => r.status)).toEqual(['queued']);
    expect(client.callsOf('startSweep')).toEqual([]);
  });

  test('two optimizers × two seeds sends startSweep, optimizers in the lab\'s order', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('curveball', true);
    state.toggleOptimizer('sgd', true);
    state.seedsText = '0, 1';
    state.experimentName = 'first sweep';
    expect(state.isSweep).toBe(true);
    expect(state.runCount).toBe(4);
    const started = await state.start();
    expect(client.callsOf('startSweep')).toEqual([
      {
        experimentName: 'first sweep',
        base: { dataset: 'mnist', arch: 'mlp', epochs: 1, batchSize: 64 },
        optimizers: [{ name: 'sgd' }, { name: 'curveball' }],
        seeds: [0, 1],
      },
    ]);
    expect(started?.runs).toHaveLength(4);
    expect(started?.experiment?.name).toBe('first sweep');
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
    expect(client.callsOf('startRun')).toEqual([]);
  });

  test('a refusal from the lab is shown beside the Start button', async () => {
    const { client, state } = await loaded();
    state.toggleOptimizer('sgd', true);
    client.fail('startRun', new LabError('invalid-input', "startRun: field 'spec.batchSize': larger than the training set (54000)", 'spec.batchSize'));
    expect(await state.start()).toBeNull();
    expect(state.startError).toBe("startRun: field 'spec.batchSize': larger than the training set (54000)");
    expect(state.starting).toBe(false);
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
