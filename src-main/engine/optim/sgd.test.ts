import { describe, expect, it } from 'vitest';
import { sgdDefinition } from './sgd';
import { expectVectorsClose, updatesForGradients } from './gradientStepContext.testkit';

describe('sgd', () => {
  it('steps by −lr·g', () => {
    const updates = updatesForGradients(sgdDefinition.create({ lr: 0.1 }), [2, -1], [[1, -2], [0.5, 1]]);
    expectVectorsClose(updates, [[-0.1, 0.2], [-0.05, -0.1]], 1e-7);
  });

  it('adds weightDecay·w to the gradient', () => {
    // g + 0.1·w = [1 + 0.2, −2 − 0.1]
    const updates = updatesForGradients(sgdDefinition.create({ lr: 0.1, weightDecay: 0.1 }), [2, -1], [[1, -2]]);
    expectVectorsClose(updates, [[-0.12, 0.21]], 1e-7);
  });

  it('defaults to lr 0.01 and reports lr in the trace', () => {
    const updates = updatesForGradients(sgdDefinition.create({}), [0, 0], [[1, -3]]);
    expectVectorsClose(updates, [[-0.01, 0.03]], 1e-8);
    expect(sgdDefinition.descriptor.options.find((o) => o.name === 'lr')?.default).toBe(0.01);
  });
});
