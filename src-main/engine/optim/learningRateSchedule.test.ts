import { describe, expect, it } from 'vitest';
import { decayedLearningRate, type LearningRateSchedule } from './learningRateSchedule';

const base: LearningRateSchedule = { lr: 0.5, lrSchedule: 'constant', lrStepEpochs: 2, lrStepFactor: 0.1, lrMinFactor: 0 };
const run = { totalSteps: 20, stepsPerEpoch: 4 };

describe('decayedLearningRate', () => {
  it('step: ×lrStepFactor every lrStepEpochs epochs, changing only at epoch boundaries', () => {
    const rates = Array.from({ length: 20 }, (_, t) => decayedLearningRate({ ...base, lrSchedule: 'step' }, t, run));
    // Epochs 0–1 are steps 0–7, epochs 2–3 steps 8–15, epoch 4 steps 16–19.
    expect(rates.slice(0, 8)).toEqual(Array(8).fill(0.5));
    rates.slice(8, 16).forEach((lr) => expect(lr).toBeCloseTo(0.05, 15));
    rates.slice(16).forEach((lr) => expect(lr).toBeCloseTo(0.005, 15));
  });

  it('step: a decay every epoch with a partial last batch counted as the epoch it is in', () => {
    const rates = [0, 2, 3, 5, 6].map((t) => decayedLearningRate({ ...base, lrSchedule: 'step', lrStepEpochs: 1, lrStepFactor: 0.5 }, t, { totalSteps: 7, stepsPerEpoch: 3 }));
    expect(rates).toEqual([0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  it('cosine: lr at the first step, half way at T/2, and the floor at T (hand values)', () => {
    const cosine = { ...base, lrSchedule: 'cosine' } as const;
    expect(decayedLearningRate(cosine, 0, run)).toBe(0.5);
    expect(decayedLearningRate(cosine, 10, run)).toBeCloseTo(0.25, 15);
    expect(decayedLearningRate(cosine, 20, run)).toBeCloseTo(0, 15);
    // t = 5 of 20: ½(1 + cos(π/4)) = ½ + √2/4
    expect(decayedLearningRate(cosine, 5, run)).toBeCloseTo(0.5 * (0.5 + Math.SQRT2 / 4), 15);
    // The last step, t = 19, is just above the floor.
    expect(decayedLearningRate(cosine, 19, run)).toBeCloseTo(0.5 * 0.5 * (1 - Math.cos(Math.PI / 20)), 15);
  });

  it('cosine: to a floor of lrMinFactor·lr', () => {
    const cosine = { ...base, lrSchedule: 'cosine', lrMinFactor: 0.2 } as const;
    expect(decayedLearningRate(cosine, 0, run)).toBe(0.5);
    expect(decayedLearningRate(cosine, 10, run)).toBeCloseTo(0.5 * (0.2 + 0.8 * 0.5), 15);
    expect(decayedLearningRate(cosine, 20, run)).toBeCloseTo(0.1, 15);
  });
});
