import { describe, expect, test } from 'vitest';
import { fakeOptimizers, fakePresets, makeDataset } from '../lab/fakeLabClient.testkit';
import { buildStartRequest, suggestedExperimentName, type RunForm } from './startRequest';

const [sgd, curveball, adam] = fakeOptimizers as [(typeof fakeOptimizers)[0], (typeof fakeOptimizers)[0], (typeof fakeOptimizers)[0]];
const mlp = fakePresets[1]!;
const mnist = makeDataset();

/** The form as the user leaves it after ticking SGD: defaults everywhere. */
function form(overrides: Partial<RunForm> = {}): RunForm {
  return {
    dataset: mnist,
    architecture: { kind: 'preset', preset: mlp, values: { widths: '128', activation: 'relu' } },
    optimizers: [{ info: sgd, inputs: { lr: '0.01' } }],
    seedsText: '0',
    batchSizeText: '64',
    bound: 'epochs',
    epochsText: '1',
    stepsText: '200',
    experimentName: '',
    ...overrides,
  };
}

describe('one optimizer and one seed: startRun', () => {
  test('defaults', () => {
    expect(buildStartRequest(form())).toEqual({
      ok: true,
      request: { kind: 'run', payload: { spec: { dataset: 'mnist', arch: 'mlp', epochs: 1, batchSize: 64, optimizer: 'sgd', seed: 0 } } },
    });
  });

  test('steps, preset options, changed optimizer options, another seed', () => {
    const result = buildStartRequest(
      form({
        architecture: { kind: 'preset', preset: mlp, values: { widths: '32,32', activation: 'relu' } },
        optimizers: [{ info: curveball, inputs: { lambda: '10', autoLambda: false, lambdaInterval: '5', lr: '' } }],
        seedsText: '3',
        batchSizeText: '128',
        bound: 'steps',
        stepsText: '50',
      }),
    );
    expect(result).toEqual({
      ok: true,
      request: {
        kind: 'run',
        payload: {
          spec: {
            dataset: 'mnist',
            arch: 'mlp',
            archOptions: { widths: '32,32' },
            steps: 50,
            batchSize: 128,
            optimizer: 'curveball',
            optimizerOptions: { lambda: 10, autoLambda: false },
            seed: 3,
          },
        },
      },
    });
  });

  test('a CSV dataset brings its target column; full batch; a JSON spec', () => {
    const csv = makeDataset({ id: 4, name: 'iris', source: '/data/iris.csv', format: 'csv', target: 'species' });
    const result = buildStartRequest(
      form({ dataset: csv, architecture: { kind: 'json', text: '{"layers":[{"type":"dense","units":3}]}' }, batchSizeText: 'full' }),
    );
    expect(result).toEqual({
      ok: true,
      request: {
        kind: 'run',
        payload: {
          spec: { dataset: '/data/iris.csv', target: 'species', arch: { layers: [{ type: 'dense', units: 3 }] }, epochs: 1, batchSize: 'full', optimizer: 'sgd', seed: 0 },
        },
      },
    });
  });
});

describe('several optimizers or seeds: startSweep', () => {
  test('two optimizers × two seeds with a name', () => {
    const result = buildStartRequest(
      form({
        optimizers: [
          { info: sgd, inputs: { lr: '0.1' } },
          { info: curveball, inputs: { lambda: '1', autoLambda: true, lambdaInterval: '5', lr: '' } },
        ],
        seedsText: '0, 1',
        bound: 'steps',
        stepsText: '20',
        experimentName: '  sgd vs curveball  ',
      }),
    );
    expect(result).toEqual({
      ok: true,
      request: {
        kind: 'sweep',
        payload: {
          experimentName: 'sgd vs curveball',
          base: { dataset: 'mnist', arch: 'mlp', steps: 20, batchSize: 64 },
          optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'curveball' }],
          seeds: [0, 1],
        },
      },
    });
  });

  test('one optimizer, several seeds; the name is suggested when left empty', () => {
    const result = buildStartRequest(form({ optimizers: [{ info: adam, inputs: { lr: '0.001', beta1: '0.9' } }], seedsText: '0-2' }));
    expect(result).toEqual({
      ok: true,
      request: {
        kind: 'sweep',
        payload: {
          experimentName: 'mnist · mlp · adam',
          base: { dataset: 'mnist', arch: 'mlp', epochs: 1, batchSize: 64 },
          optimizers: [{ name: 'adam' }],
          seeds: [0, 1, 2],
        },
      },
    });
  });

  test('suggested names', () => {
    expect(suggestedExperimentName(form({ optimizers: [{ info: sgd, inputs: {} }, { info: curveball, inputs: {} }] }))).toBe('mnist · mlp · sgd vs curveball');
    expect(suggestedExperimentName(form({ architecture: { kind: 'json', text: '{}' }, optimizers: [] }))).toBe('mnist · custom model · optimizers');
  });
});

describe('errors, all at once, keyed by field', () => {
  test('every bad field is reported', () => {
    const result = buildStartRequest(
      form({
        dataset: null,
        architecture: { kind: 'json', text: '{oops' },
        optimizers: [{ info: adam, inputs: { lr: 'fast', beta1: '1' } }],
        seedsText: '0, x',
        batchSizeText: '0',
        bound: 'steps',
        stepsText: '',
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['architecture', 'batchSize', 'dataset', 'option:adam.beta1', 'option:adam.lr', 'seeds', 'steps']);
    expect(result.errors.dataset).toBe('dataset: choose a dataset');
    expect(result.errors.seeds).toBe('seeds: "x" is not a whole number ≥ 0 or a range like 0-4');
    expect(result.errors.batchSize).toBe('batch size: expected a whole number ≥ 1, got "0" (or "full" for full-batch training)');
    expect(result.errors.steps).toBe('steps: expected a whole number ≥ 1, got ""');
    expect(result.errors['option:adam.lr']).toBe('adam lr: expected a number with lr ≥ 0, got "fast"');
    expect(result.errors['option:adam.beta1']).toBe('adam beta1: expected a number with 0 ≤ beta1 < 1, got 1');
  });

  test('no optimizer ticked', () => {
    const result = buildStartRequest(form({ optimizers: [] }));
    expect(result).toEqual({ ok: false, errors: { optimizers: 'optimizers: tick at least one optimizer' } });
  });

  test('only the chosen bound is checked', () => {
    expect(buildStartRequest(form({ bound: 'epochs', stepsText: 'junk' })).ok).toBe(true);
    expect(buildStartRequest(form({ bound: 'epochs', epochsText: '100001' }))).toEqual({ ok: false, errors: { epochs: 'epochs: at most 100,000, got 100001' } });
  });
});
