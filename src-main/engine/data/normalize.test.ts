import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset';
import { lastAxisStats, standardizeInputs } from './normalize';

function twoChannelDataset(train: number[], validation: number[]): Dataset {
  return {
    name: 't',
    source: 'test',
    task: 'classification',
    inputShape: [1, 1, 2],
    numClasses: 2,
    targetSize: 1,
    train: { x: Float32Array.from(train), y: Int32Array.from({ length: train.length / 2 }, () => 0), n: train.length / 2 },
    validation: { x: Float32Array.from(validation), y: Int32Array.from({ length: validation.length / 2 }, () => 1), n: validation.length / 2 },
    augment: false,
  };
}

describe('lastAxisStats', () => {
  it('gives the population mean and std of each channel', () => {
    // Channel 0: 1, 3, 5 → mean 3, variance (4 + 0 + 4) / 3 = 8/3. Channel 1: 2, 4, 9 → mean 5,
    // variance (9 + 1 + 16) / 3 = 26/3.
    const { mean, std } = lastAxisStats(Float32Array.from([1, 2, 3, 4, 5, 9]), 2);
    expect(mean[0]).toBeCloseTo(3, 12);
    expect(mean[1]).toBeCloseTo(5, 12);
    expect(std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(std[1]).toBeCloseTo(Math.sqrt(26 / 3), 12);
  });

  it('uses std 1 for a constant channel instead of dividing by ~0', () => {
    expect(lastAxisStats(Float32Array.from([7, 7, 7]), 1)).toEqual({ mean: [7], std: [1] });
  });
});

describe('standardizeInputs', () => {
  it('uses training statistics only and applies them to both splits', () => {
    // Train channel 0: 1, 3, 5 (mean 3, std √(8/3)); channel 1 constant 10 (mean 10, std → 1).
    // The validation values are far off, so statistics that included them would differ.
    const dataset = twoChannelDataset([1, 10, 3, 10, 5, 10], [7, 12, -100, 40]);
    const stats = standardizeInputs(dataset, ['R', 'G']);
    expect(stats.names).toEqual(['R', 'G']);
    expect(stats.mean).toEqual([3, 10]);
    expect(stats.std[0]).toBeCloseTo(1.632993161855452, 12);
    expect(stats.std[1]).toBe(1);
    const s = Math.sqrt(8 / 3);
    const expectedTrain = [-2 / s, 0, 0, 0, 2 / s, 0];
    const expectedValidation = [4 / s, 2, -103 / s, 30];
    Array.from(dataset.train.x).forEach((v, i) => expect(v).toBeCloseTo(expectedTrain[i], 5));
    Array.from(dataset.validation.x).forEach((v, i) => expect(v).toBeCloseTo(expectedValidation[i], 5));
    expect(Array.from(dataset.validation.y)).toEqual([1, 1]); // targets untouched
  });

  it('insists on one name per channel', () => {
    expect(() => standardizeInputs(twoChannelDataset([1, 2], [3, 4]), ['gray'])).toThrow('1 names for 2 channels');
  });
});
