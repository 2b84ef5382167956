import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { useTempDir } from '../data/datasetFiles.testkit';
import { loadDataset } from '../data/loadDataset';
import { RunSpecFieldError } from '../errors';
import type { RunSpec } from '../../shared/runSpec';
import { planRun, runDataIssues } from './runPlan';

const tmp = useTempDir('plan');

function spec(overrides: Partial<RunSpec>): RunSpec {
  return { dataset: 'test', arch: 'linear', archOptions: {}, optimizer: 'sgd', optimizerOptions: {}, epochs: 1, batchSize: 4, shuffle: true, init: 'default', seed: 0, ...overrides };
}

/** 30 training and 12 validation examples of 2 features whose first value is the row number (second: 100 + it). */
function numbered(): Dataset {
  const split = (n: number, offset: number) => ({
    x: Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? offset + i / 2 : 100 + offset + (i - 1) / 2)),
    y: Int32Array.from({ length: n }, (_, i) => i % 2),
    n,
  });
  return { name: 'numbered', source: 'test', task: 'classification', inputShape: [2], numClasses: 2, targetSize: 1, train: split(30, 0), validation: split(12, 1000), augment: false };
}
const firstValues = (x: Float32Array): number[] => Array.from(x.filter((_, i) => i % 2 === 0));

/** One CIFAR-10 record: a label byte and three 32×32 planes. */
const cifarRecord = (label: number): number[] => [label, ...new Array(3072).fill(label * 20)];

describe('planRun: augmentation', () => {
  it("follows the dataset's own default per format: on for CIFAR, off for IDX, CSV and the embedded MNIST", async () => {
    for (let k = 1; k <= 5; k++) await tmp.write(`c10/data_batch_${k}.bin`, cifarRecord(k));
    await tmp.write('c10/test_batch.bin', cifarRecord(7));
    const be32 = (v: number): number[] => [0, 0, 0, v];
    await tmp.write('idx/train-images-idx3-ubyte', [0, 0, 8, 3, ...be32(2), ...be32(2), ...be32(2), 0, 255, 0, 255, 9, 9, 9, 9]);
    await tmp.write('idx/train-labels-idx1-ubyte', [0, 0, 8, 1, ...be32(2), 1, 2]);
    await tmp.write('idx/t10k-images-idx3-ubyte', [0, 0, 8, 3, ...be32(1), ...be32(2), ...be32(2), 0, 0, 0, 0]);
    await tmp.write('idx/t10k-labels-idx1-ubyte', [0, 0, 8, 1, ...be32(1), 3]);
    const csv = await tmp.write('t.csv', `a,b,label\n${Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i % 2}`).join('\n')}\n`);
    const defaults: [string, string, boolean][] = [
      ['CIFAR-10', path.join(tmp.path, 'c10'), true],
      ['IDX', path.join(tmp.path, 'idx'), false],
      ['CSV', csv, false],
      ['embedded MNIST', 'mnist', false],
    ];
    for (const [format, source, expected] of defaults) {
      const dataset = await loadDataset(source, source === csv ? { target: 'label' } : {});
      expect(planRun(spec({}), dataset).augment, format).toBe(expected);
    }
  });

  it('is what the spec says when it says: off on CIFAR-like data, on for grey images', () => {
    const images: Dataset = { ...numbered(), inputShape: [1, 2, 1], augment: true };
    expect(planRun(spec({ augment: false }), images).augment).toBe(false);
    expect(planRun(spec({ augment: true }), { ...images, augment: false }).augment).toBe(true);
  });

  it('is refused for examples that are not images, naming the field', () => {
    let error: unknown;
    try {
      planRun(spec({ augment: true }), numbered());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunSpecFieldError);
    expect(error).toMatchObject({ field: 'augment', message: "augmentation flips and shifts images, but this dataset's examples have the shape [2]" });
  });
});

describe('planRun: subsets', () => {
  it('trains and validates on the whole splits without trainSize and valSize', () => {
    const dataset = numbered();
    const plan = planRun(spec({}), dataset);
    expect(plan.train).toBe(dataset.train);
    expect(plan.validation).toBe(dataset.validation);
  });

  it('takes trainSize and valSize examples of their splits, the same ones for every optimizer of a seed', () => {
    const dataset = numbered();
    const sgd = planRun(spec({ trainSize: 10, valSize: 5, seed: 4 }), dataset);
    expect([sgd.train.n, sgd.validation.n]).toEqual([10, 5]);
    const trainRows = firstValues(sgd.train.x);
    expect(new Set(trainRows).size).toBe(10);
    expect(trainRows.every((r) => r >= 0 && r < 30)).toBe(true);
    // Each example keeps its own features and label.
    expect(Array.from(sgd.train.x.filter((_, i) => i % 2 === 1))).toEqual(trainRows.map((r) => 100 + r));
    expect(Array.from(sgd.train.y)).toEqual(trainRows.map((r) => r % 2));
    expect(firstValues(sgd.validation.x).every((r) => r >= 1000 && r < 1012)).toBe(true);

    const adam = planRun(spec({ trainSize: 10, valSize: 5, seed: 4, optimizer: 'adam', optimizerOptions: { lr: 0.1 } }), dataset);
    expect(firstValues(adam.train.x)).toEqual(trainRows);
    expect(firstValues(adam.validation.x)).toEqual(firstValues(sgd.validation.x));
    const otherSeeds = [5, 6, 7].map((seed) => firstValues(planRun(spec({ trainSize: 10, seed }), dataset).train.x).join(','));
    expect(otherSeeds.some((rows) => rows !== trainRows.join(','))).toBe(true);
  });

  it('refuses a subset larger than its split, naming the field and the split size', () => {
    const refusal = (overrides: Partial<RunSpec>): unknown => {
      try {
        planRun(spec(overrides), numbered());
      } catch (e) {
        return e;
      }
      return null;
    };
    expect(refusal({ trainSize: 31 })).toMatchObject({ field: 'trainSize', message: 'expected at most 30 (the size of the training split)' });
    expect(refusal({ valSize: 13 })).toMatchObject({ field: 'valSize', message: 'expected at most 12 (the size of the validation split)' });
    expect(refusal({ trainSize: 30, valSize: 12 })).toBeNull();
  });
});

describe('runDataIssues', () => {
  it('checks sizes only where the split sizes are known, and lists every issue', () => {
    expect(runDataIssues({ trainSize: 1e6, valSize: 1e6, augment: true }, { inputShape: [28, 28, 1] })).toEqual([]);
    expect(runDataIssues({ trainSize: 9, valSize: 3, augment: true }, { inputShape: [4], trainSize: 8, validationSize: 2 }).map((i) => i.field)).toEqual([
      'trainSize',
      'valSize',
      'augment',
    ]);
  });
});
