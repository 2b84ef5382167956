import { expect, test } from 'vitest';
import { makeStudySpec } from '../lab/fakeLabClient.testkit';
import { studySummary } from './studySummary';

test('a spec of presets, optimizers and seeds in words', () => {
  expect(studySummary(makeStudySpec())).toEqual({
    architectures: ['linear', 'mlp (widths=16)'],
    architectureCount: 2,
    optimizers: ['sgd', 'curveball'],
    optimizerCount: 2,
    seeds: [0],
    product: '2 architectures × 2 optimizer settings × 1 seed',
    budget: '40 steps per run, batch 32, 1,000 training examples on mnist',
  });
});

test('random architectures count as many as they generate, each lr-grid value as a setting, labels win', () => {
  const summary = studySummary(
    makeStudySpec({
      architectures: [
        { random: { count: 12, seed: 3 } },
        { label: 'Basic', preset: 'basic-cnn' },
        { label: 'tiny net', spec: { inputShape: [28, 28, 1], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] } },
      ],
      optimizers: [{ label: 'CurveBall-λ', name: 'curveball' }, { name: 'sgd', lrGrid: [0.1, 0.01, 0.001] }, { name: 'adam', lrGrid: [] }],
      seeds: [0, 1, 2],
      budget: { epochs: 1 },
      batchSize: 'full',
      trainSize: undefined,
      dataset: '/data/cifar-10',
    }),
  );
  expect(summary.architectures).toEqual(['12 random (seed 3)', 'Basic', 'tiny net']);
  expect(summary.architectureCount).toBe(14);
  expect(summary.optimizers).toEqual(['CurveBall-λ', 'sgd (lr ∈ 0.1, 0.01, 0.001)', 'adam']);
  expect(summary.optimizerCount).toBe(1 + 3 + 1);
  expect(summary.product).toBe('14 architectures × 5 optimizer settings × 3 seeds');
  expect(summary.budget).toBe('1 epoch per run, batch full, all training examples on /data/cifar-10');
});

test('architectures with a length of their own are said beside the study’s', () => {
  const some = studySummary(makeStudySpec({ architectures: [{ preset: 'linear', budget: { epochs: 3 } }, { preset: 'mlp' }] }));
  expect(some.budget).toBe('40 steps per run (1 of the architectures their own), batch 32, 1,000 training examples on mnist');
  const all = studySummary(makeStudySpec({ architectures: [{ preset: 'linear', budget: { epochs: 3 } }, { label: 'x', preset: 'mlp', budget: { steps: 9 } }] }));
  expect(all.budget).toBe('40 steps per run (each architecture its own), batch 32, 1,000 training examples on mnist');
});
