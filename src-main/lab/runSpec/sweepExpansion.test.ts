import { describe, expect, it } from 'vitest';
import type { RunsRequest } from '../api/labApi';
import type { RunSpec } from '../../shared/runSpec';
import { acceptedRuns, normalizeRuns, requestStructure } from './normalizeRuns';
import { mnistShapes as mnist } from './runRequests.testkit';
import { RunSpecError } from './runSpecError';

const base: RunsRequest['base'] = { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, steps: 10, batchSize: 32 };

/** The checked runs of a request, through the schema and normalizeRuns as the lab does it. */
function runsOf(request: RunsRequest): RunSpec[] {
  return acceptedRuns(normalizeRuns(requestStructure(request), mnist));
}

/** What every spec of these sweeps shares, with the defaults normalizeRuns fills in. */
const common = { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, steps: 10, batchSize: 32, shuffle: true, init: 'default' } as const;

function spec(optimizer: string, optimizerOptions: RunSpec['optimizerOptions'], seed: number): RunSpec {
  return { ...common, archOptions: { widths: '16' }, optimizer, optimizerOptions, seed };
}

function refusal(request: RunsRequest): { field: string; message: string } {
  try {
    runsOf(request);
  } catch (error) {
    expect(error).toBeInstanceOf(RunSpecError);
    return { field: (error as RunSpecError).field, message: (error as RunSpecError).message };
  }
  throw new Error('expected the sweep to be refused');
}

describe('normalizeRuns: a sweep request expanded', () => {
  it('2 optimizers × 2 seeds: four runs, by optimizer then seed', () => {
    const specs = runsOf({
      experimentName: 'x',
      base,
      optimizers: [{ name: 'curveball' }, { name: 'adam', options: { lr: 0.01 } }],
      seeds: [1, 2],
    });
    expect(specs).toEqual([
      spec('curveball', {}, 1),
      spec('curveball', {}, 2),
      spec('adam', { lr: 0.01 }, 1),
      spec('adam', { lr: 0.01 }, 2),
    ]);
  });

  it('a grid lr ∈ {0.1, 0.01} × 2 seeds: four runs, by grid value then seed, fixed options in each', () => {
    const specs = runsOf({
      experimentName: 'x',
      base,
      optimizers: [{ name: 'sgd', options: { weightDecay: 0.001 }, grid: { lr: [0.1, 0.01] } }],
      seeds: [7, 8],
    });
    expect(specs).toEqual([
      spec('sgd', { weightDecay: 0.001, lr: 0.1 }, 7),
      spec('sgd', { weightDecay: 0.001, lr: 0.1 }, 8),
      spec('sgd', { weightDecay: 0.001, lr: 0.01 }, 7),
      spec('sgd', { weightDecay: 0.001, lr: 0.01 }, 8),
    ]);
  });

  it('two grid keys: their cross product, the last key varying fastest', () => {
    const specs = runsOf({
      experimentName: 'x',
      base,
      optimizers: [{ name: 'adam', grid: { lr: [0.1, 0.01], beta1: [0.8, 0.9, 0.95] } }],
      seeds: [0],
    });
    expect(specs.map((s) => s.optimizerOptions)).toEqual([
      { lr: 0.1, beta1: 0.8 },
      { lr: 0.1, beta1: 0.9 },
      { lr: 0.1, beta1: 0.95 },
      { lr: 0.01, beta1: 0.8 },
      { lr: 0.01, beta1: 0.9 },
      { lr: 0.01, beta1: 0.95 },
    ]);
  });

  it('refuses the whole sweep for one bad option, naming its place in the request', () => {
    const request = (optimizers: RunsRequest['optimizers']): RunsRequest => ({ experimentName: 'x', base, optimizers, seeds: [1] });
    expect(refusal(request([{ name: 'sgd' }, { name: 'adam', grid: { lr: [0.1, -1] } }]))).toEqual({
      field: 'optimizers.1.grid.lr',
      message: 'adam: option "lr" must be ≥ 0, got -1',
    });
    expect(refusal(request([{ name: 'sgd', options: { momentum: 0.9 } }])).field).toBe('optimizers.0.options.momentum');
    expect(refusal(request([{ name: 'sgd' }, { name: 'lbfgs' }])).field).toBe('optimizers.1.name');
    expect(refusal(request([{ name: 'curveball', grid: { lr: [0.1] } }])).field).toBe('optimizers.0');
    expect(refusal(request([{ name: 'sgd', options: { lr: 0.1 }, grid: { lr: [0.2] } }])).field).toBe('optimizers.0.grid.lr');
    expect(refusal(request([{ name: 'sgd', grid: { lr: [] } }])).field).toBe('optimizers.0.grid.lr');
    expect(refusal({ experimentName: 'x', base: { ...base, batchSize: 0 }, optimizers: [{ name: 'sgd' }], seeds: [1] }).field).toBe('base.batchSize');
    expect(refusal({ experimentName: 'x', base, optimizers: [{ name: 'sgd' }], seeds: [] }).field).toBe('seeds');
  });
});
