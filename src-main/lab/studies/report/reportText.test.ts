import { describe, expect, it } from 'vitest';
import type { StudySpec } from '../../../shared/studySpec';
import { studySettings } from './reportText';

const spec: StudySpec = {
  dataset: 'cifar',
  architectures: [{ preset: 'basic-cnn' }],
  optimizers: [{ name: 'sgd' }],
  seeds: [1, 2],
  budget: { epochs: 40 },
  batchSize: 128,
};

describe('studySettings', () => {
  it('says the budget, batch and seeds', () => {
    expect(studySettings(spec, 'classification')).toBe('cifar (classification) · 40 epochs · batch 128 · seeds 1, 2');
  });

  it('names each architecture that has a budget of its own', () => {
    const own: StudySpec = {
      ...spec,
      architectures: [{ label: 'Basic', preset: 'basic-cnn', budget: { epochs: 100 } }, { preset: 'basic-cnn-bn' }, { preset: 'resnet18', options: { width: '8' }, budget: { steps: 500 } }, { random: { count: 2, seed: 0 } }],
    };
    expect(studySettings(own, 'classification')).toBe('cifar (classification) · 40 epochs (Basic: 100 epochs, resnet18 (width=8): 500 steps) · batch 128 · seeds 1, 2');
  });
});
