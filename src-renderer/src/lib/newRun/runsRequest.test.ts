import { describe, expect, test } from 'vitest';
import { fakeOptimizers, fakePresets, makeDataset } from '../lab/fakeLabClient.testkit';
import { buildRunsRequest, type RunForm } from './runsRequest';

const [sgd, curveball, adam] = fakeOptimizers as [(typeof fakeOptimizers)[0], (typeof fakeOptimizers)[0], (typeof fakeOptimizers)[0]];
const mlp = fakePresets[1]!;
const mnist = makeDataset();

/** The form as the user leaves it after ticking SGD: defaults everywhere. */
function form(overrides: Partial<RunForm> = {}): RunForm {
  return {
    dataset: mnist,
    architecture: { kind: 'preset', preset: mlp, values: { widths: '128', activation: 'relu' } },
    optimizers: [{ descriptor: sgd, inputs: { lr: '0.01' } }],
    seedsText: '0',
    batchSizeText: '64',
    bound: 'epochs',
    epochsText: '1',
    stepsText: '200',
    experimentName: '',
    ...overrides,
  };
}

describe('one optimizer and one seed: a request for one run', () => {
  test('defaults', () => {
    expect(buildRunsRequest(form())).toEqual({
      ok: true,
      request: { base: { dataset: 'mnist', arch: 'mlp', epochs: 1, batchSize: 64 }, optimizers: [{ name: 'sgd' }], seeds: [0] },
    });
  });

  test('steps, preset options, changed optimizer options, another seed', () => {
    const result = buildRunsRequest(
      form({
        architecture: { kind: 'preset', preset: mlp, values: { widths: '32,32', activation: 'relu' } },
        optimizers: [{ descriptor: curveball, inputs: { lambda: '10', autoLambda: false, lambdaInterval: '5', lr: '' } }],
        seedsText: '3',
        batchSizeText: '128',
        bound: 'steps',
        stepsText: '50',
      }),
    );
    expect(result).toEqual({
      ok: true,
      request: {
        base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '32,32' }, steps: 50, batchSize: 128 },
        optimizers: [{ name: 'curveball', options: { lambda: 10, autoLambda: false } }],
        seeds: [3],
      },
    });
  });

  test('a CSV dataset brings its target column; full batch; a JSON spec', () => {
    const csv = makeDataset({ id: 4, name: 'iris', source: '/data/iris.csv', format: 'csv', target: 'species' });
    const result = buildRunsRequest(
      form({ dataset: csv, architecture: { kind: 'json', text: '{"layers":[{"type":"dense","units":3}]}' }, batchSizeText: 'full' }),
    );
    expect(result).toEqual({
      ok: true,
      request: {
        base: { dataset: '/data/iris.csv', target: 'species', arch: { layers: [{ type: 'dense', units: 3 }] }, epochs: 1, batchSize: 'full' },
        optimizers: [{ name: 'sgd' }],
        seeds: [0],
      },
    });
  });
});

describe('several optimizers or seeds: the same request, with more in it', () => {
  test('two optimizers × two seeds with a name', () => {
    const result = buildRunsRequest(
      form({
        optimizers: [
          { descriptor: sgd, inputs: { lr: '0.1' } },
          { descriptor: curveball, inputs: { lambda: '1', autoLambda: true, lambdaInterval: '5', lr: '' } },
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
        experimentName: 'sgd vs curveball',
        base: { dataset: 'mnist', arch: 'mlp', steps: 20, batchSize: 64 },
        optimizers: [{ name: 'sgd', options: { lr: 0.1 } }, { name: 'curveball' }],
        seeds: [0, 1],
      },
    });
  });

  test('one optimizer, several seeds; an empty name is left to the lab', () => {
    const result = buildRunsRequest(form({ optimizers: [{ descriptor: adam, inputs: { lr: '0.001', beta1: '0.9' } }], seedsText: '0-2', experimentName: '  ' }));
    expect(result).toEqual({
      ok: true,
      request: { base: { dataset: 'mnist', arch: 'mlp', epochs: 1, batchSize: 64 }, optimizers: [{ name: 'adam' }], seeds: [0, 1, 2] },
    });
  });
});

describe('errors, all at once, keyed by field: only what the form cannot read', () => {
  test('every bad field is reported', () => {
    const result = buildRunsRequest(
      form({
        dataset: null,
        architecture: { kind: 'json', text: '{oops' },
        optimizers: [{ descriptor: adam, inputs: { lr: 'fast', beta1: '0x10' } }],
        seedsText: '0, x',
        batchSizeText: 'many',
        bound: 'steps',
        stepsText: '',
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['architecture', 'batchSize', 'dataset', 'option:adam.beta1', 'option:adam.lr', 'seeds', 'steps']);
    expect(result.errors.dataset).toBe('dataset: choose a dataset');
    expect(result.errors.seeds).toBe('seeds: "x" is not a whole number ≥ 0 or a range like 0-4');
    expect(result.errors.batchSize).toBe('batch size: expected a number, got "many" (or "full" for full-batch training)');
    expect(result.errors.steps).toBe('steps: expected a number, got ""');
    expect(result.errors['option:adam.lr']).toBe('adam lr: expected a number, got "fast"');
    expect(result.errors['option:adam.beta1']).toBe('adam beta1: expected a number, got "0x10"');
  });

  test('numbers out of range are sent as typed: the lab judges them', () => {
    const result = buildRunsRequest(
      form({ optimizers: [{ descriptor: adam, inputs: { lr: '-1', beta1: '1' } }], batchSizeText: '0', epochsText: '100001' }),
    );
    expect(result).toEqual({
      ok: true,
      request: {
        base: { dataset: 'mnist', arch: 'mlp', epochs: 100001, batchSize: 0 },
        optimizers: [{ name: 'adam', options: { lr: -1, beta1: 1 } }],
        seeds: [0],
      },
    });
  });

  test('no optimizer ticked', () => {
    const result = buildRunsRequest(form({ optimizers: [] }));
    expect(result).toEqual({ ok: false, errors: { optimizers: 'optimizers: tick at least one optimizer' } });
  });

  test('only the chosen bound is read', () => {
    expect(buildRunsRequest(form({ bound: 'epochs', stepsText: 'junk' })).ok).toBe(true);
    expect(buildRunsRequest(form({ bound: 'epochs', epochsText: 'ten' }))).toEqual({ ok: false, errors: { epochs: 'epochs: expected a number, got "ten"' } });
  });
});
