import { describe, expect, it } from 'vitest';
import { checkRunSpec } from './checkRunSpec';

const spec = {
  dataset: 'mnist',
  arch: 'mlp',
  archOptions: { widths: '16' },
  optimizer: 'sgd',
  optimizerOptions: { lr: 0.05 },
  steps: 20,
  batchSize: 32,
  shuffle: true,
  init: 'default',
  seed: 3,
  trainSize: 256,
};

describe('checkRunSpec', () => {
  it('gives back a complete, valid spec as it is', () => {
    expect(checkRunSpec(spec)).toEqual({ spec, issues: [] });
  });

  it('names each issue at its field in the spec', () => {
    const verdict = checkRunSpec({ ...spec, optimizerOptions: { lr: 'fast' }, batchSize: 0, seed: -1 });
    expect(verdict.spec).toBeNull();
    expect(verdict.issues.map((i) => i.field).sort()).toEqual(['spec.batchSize', 'spec.optimizerOptions.lr', 'spec.seed']);
  });

  it('refuses an unknown optimizer, an unknown field and what is not an object', () => {
    expect(checkRunSpec({ ...spec, optimizer: 'nope' }).issues[0]!.field).toBe('spec.optimizer');
    expect(checkRunSpec({ ...spec, rm: '-rf' }).issues.map((i) => i.message).join()).toMatch(/rm/);
    expect(checkRunSpec('rm -rf /').issues).toEqual([{ field: 'spec', message: 'expected a run spec object' }]);
    expect(checkRunSpec([spec]).spec).toBeNull();
  });
});
