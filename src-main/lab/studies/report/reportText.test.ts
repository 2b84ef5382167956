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

  it('says the run fields the spec sets', () => {
    const fields: StudySpec = { ...spec, trainSize: 2000, valSize: 1000, augment: false, shuffle: false, init: 'he', divergenceFactor: 'off' };
    expect(studySettings(fields, 'classification')).toBe(
      'cifar (classification) · 40 epochs · batch 128 · 2,000 training / 1,000 validation examples · not augmented · batches in a fixed order · He init · diverged on a non-finite loss only · seeds 1, 2',
    );
    expect(studySettings({ ...spec, valSize: 500, divergenceFactor: 100 }, 'regression')).toBe(
      'cifar (regression) · 40 epochs · batch 128 · 500 validation examples · diverged above 100× the first loss · seeds 1, 2',
    );
  });
});
