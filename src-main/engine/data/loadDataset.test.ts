import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetFormatError, UserInputError } from '../errors';
import type { Split } from './dataset';
import { expectFormatError, useTempDir } from './datasetFiles.testkit';
import { describeDatasetSources, loadDataset } from './loadDataset';

const tmp = useTempDir('load');

/** Big-endian uint32 bytes. */
const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const idxImages = (rows: number, cols: number, images: number[][]): number[] => [0, 0, 8, 3, ...be32(images.length), ...be32(rows), ...be32(cols), ...images.flat()];
const idxLabels = (labels: number[]): number[] => [0, 0, 8, 1, ...be32(labels.length), ...labels];

/** A CIFAR record: label byte(s) then three constant 32×32 planes (R, G, B). */
function cifarRecord(labels: number[], [r, g, b]: [number, number, number]): number[] {
  return [...labels, ...new Array(1024).fill(r), ...new Array(1024).fill(g), ...new Array(1024).fill(b)];
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserInputError);
  return error as Error;
}

function expectValues(actual: Float32Array, expected: number[], digits = 5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => expect(actual[i], `value ${i}`).toBeCloseTo(v, digits));
}

describe('loadDataset: MNIST-style IDX folder', () => {
  it('uses the t10k files for validation, scales to [0, 1] and standardises with training statistics', async () => {
    // Training pixels are 0 or 255: five of the twelve are 255, so after scaling the mean is 5/12 and
    // the std √(5/12 · 7/12) = √35/12; a 1 becomes 7/√35, a 0 becomes −5/√35.
    const train = [
      [0, 255, 0, 255],
      [255, 255, 0, 0],
      [0, 0, 0, 255],
    ];
    await tmp.write('mnist/train-images-idx3-ubyte.gz', gzipSync(Uint8Array.from(idxImages(2, 2, train))));
    await tmp.write('mnist/train-labels-idx1-ubyte', idxLabels([1, 0, 9]));
    await tmp.write('mnist/t10k-images-idx3-ubyte', idxImages(2, 2, [[255, 0, 0, 0], [0, 0, 0, 0]]));
    await tmp.write('mnist/t10k-labels-idx1-ubyte.gz', gzipSync(Uint8Array.from(idxLabels([3, 4]))));
    const dir = path.join(tmp.path, 'mnist');

    const dataset = await loadDataset(dir);
    const one = 7 / Math.sqrt(35);
    const zero = -5 / Math.sqrt(35);
    expect(dataset).toMatchObject({ name: 'mnist', source: dir, task: 'classification', inputShape: [2, 2, 1], numClasses: 10, augment: false });
    expect(dataset.train.n).toBe(3);
    expect(Array.from(dataset.train.y)).toEqual([1, 0, 9]);
    expectValues(dataset.train.x, [zero, one, zero, one, one, one, zero, zero, zero, zero, zero, one]);
    expect(dataset.validation.n).toBe(2);
    expect(Array.from(dataset.validation.y)).toEqual([3, 4]);
    expectValues(dataset.validation.x, [one, zero, zero, zero, zero, zero, zero, zero]);
    expect(dataset.normalization?.names).toEqual(['gray']);
    expect(dataset.normalization?.mean[0]).toBeCloseTo(5 / 12, 6);
    expect(dataset.normalization?.std[0]).toBeCloseTo(Math.sqrt(35) / 12, 6);
  });

  it('passes on a corrupt file as an error naming it, and rejects test images of another size', async () => {
    await tmp.write('m/train-images-idx3-ubyte', idxImages(2, 2, [[1, 2, 3, 4]]));
    await tmp.write('m/train-labels-idx1-ubyte', idxLabels([12]));
    await tmp.write('m/t10k-images-idx3-ubyte', idxImages(1, 2, [[1, 2]]));
    await tmp.write('m/t10k-labels-idx1-ubyte', idxLabels([0]));
    const labels = path.join(tmp.path, 'm', 'train-labels-idx1-ubyte');
    await expectFormatError(loadDataset(path.join(tmp.path, 'm')), labels, 'label 12 at index 0 is out of range: expected 0..9');
    await tmp.write('m/train-labels-idx1-ubyte', idxLabels([2]));
    await expectFormatError(
      loadDataset(path.join(tmp.path, 'm')),
      path.join(tmp.path, 'm', 't10k-images-idx3-ubyte'),
      'images are 1×2, but',
    );
  });
});

describe('loadDataset: single IDX file', () => {
  it('splits off a seeded validation set and infers the classes from the labels', async () => {
    // Ten 1×1 images with pixel 25·i and label i mod 3.
    const images = await tmp.write('digits-images-idx3-ubyte', idxImages(1, 1, Array.from({ length: 10 }, (_, i) => [25 * i])));
    await tmp.write('digits-labels-idx1-ubyte.gz', gzipSync(Uint8Array.from(idxLabels(Array.from({ length: 10 }, (_, i) => i % 3)))));
    const dataset = await loadDataset(images, { validationFraction: 0.2, seed: 5 });
    expect(dataset).toMatchObject({ name: 'digits-images-idx3-ubyte', numClasses: 3, inputShape: [1, 1, 1] });
    expect(dataset.train.n).toBe(8);
    expect(dataset.validation.n).toBe(2);
    // Undo the standardisation to see which image went where: pixel index i = value · 255 / 25.
    const { mean, std } = dataset.normalization as { mean: number[]; std: number[] };
    const indexOf = (split: Split): number[] => Array.from(split.x, (v) => Math.round(((v * std[0] + mean[0]) * 255) / 25) + 0); // + 0 turns −0 into 0
    const trainIdx = indexOf(dataset.train);
    const validationIdx = indexOf(dataset.validation);
    expect([...trainIdx, ...validationIdx].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(dataset.train.y)).toEqual(trainIdx.map((i) => i % 3));
    expect(mean[0]).toBeCloseTo(trainIdx.reduce((s, i) => s + (25 * i) / 255, 0) / 8, 6);
    const again = await loadDataset(images, { validationFraction: 0.2, seed: 5 });
    expect(Array.from(again.validation.x)).toEqual(Array.from(dataset.validation.x));
  });
});

describe('loadDataset: CIFAR folders', () => {
  it('reads the five CIFAR-10 batches and the test batch, standardises per channel, augments', async () => {
    // Batch k (1..5) holds one image with planes R = 51(k − 1), G = 0, B = 255: scaled, R is
    // 0, .2, .4, .6, .8 (mean .4, std √.08), G is constant 0 and B constant 1 (std 1, only centred).
    for (let k = 1; k <= 5; k++) await tmp.write(`c10/data_batch_${k}.bin`, cifarRecord([k], [51 * (k - 1), 0, 255]));
    await tmp.write('c10/test_batch.bin', cifarRecord([7], [255, 255, 0]));
    const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    await tmp.write('c10/batches.meta.txt', `${names.join('\n')}\n`);

    const dataset = await loadDataset(path.join(tmp.path, 'c10'));
    expect(dataset).toMatchObject({ name: 'cifar-10', inputShape: [32, 32, 3], numClasses: 10, augment: true, classNames: names });
    expect(Array.from(dataset.train.y)).toEqual([1, 2, 3, 4, 5]);
    expect(dataset.train.x.length).toBe(5 * 3072);
    const s = Math.sqrt(0.08);
    // First pixel of each training image (HWC: R, G, B), then a pixel deep inside the last one.
    for (let k = 0; k < 5; k++) expectValues(dataset.train.x.subarray(k * 3072, k * 3072 + 3), [(0.2 * k - 0.4) / s, 0, 0]);
    expectValues(dataset.train.x.subarray(4 * 3072 + 3 * 500, 4 * 3072 + 3 * 501), [0.4 / s, 0, 0]);
    expect(Array.from(dataset.validation.y)).toEqual([7]);
    expectValues(dataset.validation.x.subarray(3 * 1023, 3 * 1024), [0.6 / s, 1, -1]);
    expect(dataset.normalization?.names).toEqual(['R', 'G', 'B']);
    expect(dataset.normalization?.mean[0]).toBeCloseTo(0.4, 6);
    expect(dataset.normalization?.mean[2]).toBeCloseTo(1, 6);
    expect(dataset.normalization?.std).toEqual([expect.closeTo(s, 6), 1, 1]);
  });

  it('reads CIFAR-100 from the folder its archive unpacks to, with fine labels', async () => {
    await tmp.write('c100/cifar-100-binary/train.bin', [...cifarRecord([1, 42], [0, 0, 0]), ...cifarRecord([2, 99], [255, 255, 255])]);
    await tmp.write('c100/cifar-100-binary/test.bin', cifarRecord([3, 5], [0, 0, 0]));
    const dataset = await loadDataset(path.join(tmp.path, 'c100'));
    expect(dataset).toMatchObject({ name: 'cifar-100', numClasses: 100, augment: true });
    expect(Array.from(dataset.train.y)).toEqual([42, 99]);
    expect(Array.from(dataset.validation.y)).toEqual([5]);
    expect(dataset.classNames).toBeUndefined();
    // Each channel is 0 in one image and 1 in the other: mean .5, std .5.
    expectValues(dataset.train.x.subarray(0, 3), [-1, -1, -1]);
    expectValues(dataset.validation.x.subarray(0, 3), [-1, -1, -1]);
  });

  it('names a truncated batch', async () => {
    for (let k = 1; k <= 5; k++) await tmp.write(`c/data_batch_${k}.bin`, cifarRecord([0], [0, 0, 0]));
    await tmp.write('c/test_batch.bin', cifarRecord([0], [0, 0, 0]).slice(0, 3000));
    await expectFormatError(loadDataset(path.join(tmp.path, 'c')), path.join(tmp.path, 'c', 'test_batch.bin'), 'truncated: 3000 bytes');
  });
});

describe('loadDataset: CSV', () => {
  it('regression: standardises features with training rows only and keeps targets as given', async () => {
    // Four rows (f1, f2, t1, t2) with f2 constant and t1 = 2·f1, t2 = −f1.
    const file = await tmp.write('houses.csv', 'f1,f2,t1,t2\n1,5,2,-1\n2,5,4,-2\n4,5,8,-4\n8,5,16,-8\n');
    const dataset = await loadDataset(file, { target: 't1,t2', validationFraction: 0.25, seed: 1 });
    expect(dataset).toMatchObject({ name: 'houses', task: 'regression', inputShape: [2], targetSize: 2, targetNames: ['t1', 't2'], augment: false });
    expect(dataset.train.n).toBe(3);
    expect(dataset.validation.n).toBe(1);
    const stats = dataset.normalization as { mean: number[]; std: number[]; names: string[] };
    expect(stats.names).toEqual(['f1', 'f2']);
    expect(stats.mean[1]).toBe(5);
    expect(stats.std[1]).toBe(1);
    const f1 = (split: Split): number[] => Array.from({ length: split.n }, (_, i) => split.x[2 * i] * stats.std[0] + stats.mean[0]);
    const trainF1 = f1(dataset.train);
    // The training f1 values are three of 1, 2, 4, 8; their mean and population std are the stats.
    const m = trainF1.reduce((a, b) => a + b, 0) / 3;
    expect(stats.mean[0]).toBeCloseTo(m, 5);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(trainF1.reduce((a, v) => a + (v - m) ** 2, 0) / 3), 5);
    for (const split of [dataset.train, dataset.validation]) {
      f1(split).forEach((v, i) => {
        expect([1, 2, 4, 8]).toContainEqual(Math.round(v));
        expect(Array.from(split.y.subarray(2 * i, 2 * i + 2))).toEqual([2 * Math.round(v), -Math.round(v)]);
        expect(split.x[2 * i + 1]).toBe(0); // constant column: centred only
      });
    }
  });

  it('classification from CSV, and the errors for a missing target', async () => {
    const file = await tmp.write('iris.csv', 'a,b,species\n0,1,0\n1,1,1\n2,0,2\n3,0,1\n');
    const dataset = await loadDataset(file, { target: 'species', validationFraction: 0.5 });
    expect(dataset).toMatchObject({ task: 'classification', numClasses: 3, targetSize: 1, inputShape: [2] });
    expect(dataset.train.n + dataset.validation.n).toBe(4);
    await expectFormatError(loadDataset(file), file, 'name the column to predict');
  });
});

describe('loadDataset: the embedded mnist', () => {
  it('is standardised to mean 0 and std 1 on the training split', async () => {
    const dataset = await loadDataset('mnist');
    expect(dataset).toMatchObject({ name: 'mnist', source: 'embedded', numClasses: 10, inputShape: [28, 28, 1] });
    let sum = 0;
    let squares = 0;
    for (const v of dataset.train.x) {
      sum += v;
      squares += v * v;
    }
    const n = dataset.train.x.length;
    expect(sum / n).toBeCloseTo(0, 4);
    expect(Math.sqrt(squares / n - (sum / n) ** 2)).toBeCloseTo(1, 4);
    // MNIST's ink covers about an eighth of the image: mean ≈ 0.13, std ≈ 0.31.
    expect(dataset.normalization?.mean[0]).toBeGreaterThan(0.1);
    expect(dataset.normalization?.mean[0]).toBeLessThan(0.16);
    expect(dataset.normalization?.std[0]).toBeGreaterThan(0.28);
    expect(dataset.normalization?.std[0]).toBeLessThan(0.34);
  });
});

describe('loadDataset: options and unknown sources', () => {
  it('rejects CSV options for other sources, a bad fraction and a non-integer seed', async () => {
    expect((await rejection(loadDataset('mnist', { target: 'label' }))).message).toContain('a target column (and task) applies only to CSV files; the dataset "mnist" brings its own labels');
    expect((await rejection(loadDataset('mnist', { validationFraction: 1 }))).message).toContain('between 0 and 1');
    expect((await rejection(loadDataset('mnist', { seed: 1.5 }))).message).toContain('seed must be an integer');
  });

  it('lists the accepted sources for an unknown name', async () => {
    const error = await rejection(loadDataset('imagenet'));
    expect(error).not.toBeInstanceOf(DatasetFormatError);
    expect(error.message).toContain('Unknown dataset "imagenet"');
    expect(error.message).toContain(describeDatasetSources());
    expect(describeDatasetSources()).toContain('t10k-images-idx3-ubyte');
    expect(describeDatasetSources()).toContain('--target');
  });
});
