import { describe, expect, test } from 'vitest';
import type { RunsRequest } from '$api/labApi';
import { placeIssues } from './placeIssues';

const request: RunsRequest = {
  base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '0' }, epochs: 1, batchSize: 64 },
  optimizers: [{ name: 'sgd' }, { name: 'curveball', options: { lr: -1 } }],
  seeds: [0, 1],
};

describe('placeIssues', () => {
  test("puts each of the lab's fields next to the form's field that shows it", () => {
    const fields: [string, string][] = [
      ['base.dataset', 'dataset'],
      ['base.target', 'dataset'],
      ['base.arch', 'architecture'],
      ['base.arch.layers.2.units', 'architecture'],
      ['base.archOptions.widths', 'archOption:widths'],
      ['base.batchSize', 'batchSize'],
      ['base.epochs', 'epochs'],
      ['base.steps', 'steps'],
      ['optimizers', 'optimizers'],
      ['optimizers.1.name', 'optimizer:curveball'],
      ['optimizers.1', 'optimizer:curveball'],
      ['optimizers.1.options.lr', 'option:curveball.lr'],
      ['optimizers.0.grid.lr', 'option:sgd.lr'],
      ['seeds', 'seeds'],
      ['seeds.1', 'seeds'],
      ['experimentName', 'experimentName'],
    ];
    for (const [field, formField] of fields) {
      expect(placeIssues([{ field, message: `bad ${field}` }], request), field).toEqual({ errors: { [formField]: `bad ${field}` }, general: [] });
    }
  });

  test('an issue no field shows goes to the general line, in order', () => {
    const issues = [
      { field: '', message: 'the lab is shutting down' },
      { field: 'base.shuffle', message: 'shuffle: expected a boolean' },
      { field: 'optimizers.7.options.lr', message: 'lr: no such optimizer entry' },
      { field: 'experimentId', message: 'no experiment with id 9' },
    ];
    expect(placeIssues(issues, request)).toEqual({
      errors: { optimizers: 'lr: no such optimizer entry' },
      general: ['the lab is shutting down', 'shuffle: expected a boolean', 'no experiment with id 9'],
    });
  });

  test("a field's first issue is the one shown", () => {
    const issues = [
      { field: 'optimizers.1.options.lr', message: 'lr must be ≥ 0' },
      { field: 'optimizers.1.options.lr', message: 'lr and momentum go together' },
      { field: 'base.batchSize', message: 'batch size must be ≥ 1' },
    ];
    expect(placeIssues(issues, request).errors).toEqual({ 'option:curveball.lr': 'lr must be ≥ 0', batchSize: 'batch size must be ≥ 1' });
  });
});
