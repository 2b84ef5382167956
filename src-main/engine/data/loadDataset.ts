/**
 * The one entry point from a source string ("mnist", a folder, a file) to a Dataset ready for
 * training: read and check the files, scale image bytes to [0, 1], hold out a validation set where the
 * source has none, and standardise the inputs with training-split statistics.
 */
import path from 'node:path';
import { DatasetFormatError, UserInputError } from '../errors';
import { CIFAR_IMAGE_SHAPE, cifarNumClasses, readCifarBatch, readCifarClassNames, type CifarBatch } from './cifar';
import { readCsvTable } from './csv';
import type { Dataset, Split, Task } from './dataset';
import { resolveDatasetSource, type DatasetSource, type IdxFiles } from './datasetSources';
import { loadEmbeddedMnist } from './embeddedMnist';
import { readIdxPair, type IdxPair } from './idx';
import { readImageFolder } from './imageFolder';
import type { ImageFolderSource } from './imageFolderSource';
import type { RunSpec } from '../../shared/runSpec';
import { standardizeInputs } from './normalize';
import { DEFAULT_VALIDATION_FRACTION, holdOutValidation } from './validationSplit';

export { describeDatasetSources } from './datasetSources';

export interface LoadDatasetOptions {
  /** CSV only: the target column(s), comma-separated. */
  target?: string;
  /** CSV only: override the task implied by the number of target columns (regression on one column). */
  task?: Task;
  /** Seed of the validation hold-out for sources without a test set (default 0). */
  seed?: number;
  /** Fraction held out for validation from a single IDX file, a CSV or an image folder without a validation folder (default 0.1). */
  validationFraction?: number;
  /** The most one IDX, CIFAR or CSV file may hold, read and decompressed (default maxDatasetFileBytes()). */
  maxFileBytes?: number;
}

/**
 * The spec's dataset as its run loads it: the CSV target, and the validation hold-out drawn from the run's
 * seed; within `limits` where a host sets them (a dataset worker's file size).
 */
export function loadRunDataset(spec: Pick<RunSpec, 'dataset' | 'target' | 'seed'>, limits: Pick<LoadDatasetOptions, 'maxFileBytes'> = {}): Promise<Dataset> {
  return loadDataset(spec.dataset, { ...(spec.target !== undefined ? { target: spec.target } : {}), seed: spec.seed, ...limits });
}

/** Standard MNIST and Fashion-MNIST have ten classes. */
const MNIST_CLASSES = 10;

export async function loadDataset(source: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const fraction = options.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  if (!(fraction > 0 && fraction < 1)) {
    throw new UserInputError(`validation fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new UserInputError(`seed must be an integer, got ${seed}`);

  const resolved = await resolveDatasetSource(source);
  if (resolved.kind !== 'csv' && (options.target !== undefined || options.task !== undefined)) {
    throw new UserInputError(`a target column (and task) applies only to CSV files; the dataset "${source}" brings its own labels`);
  }
  const { dataset, inputNames } = await loadResolved(resolved, { ...options, seed, validationFraction: fraction });
  dataset.normalization = standardizeInputs(dataset, inputNames);
  return dataset;
}

interface Loaded {
  dataset: Dataset;
  /** Names of the last-axis entries (channels or feature columns), for the normalisation report. */
  inputNames: string[];
}

type ResolvedOptions = LoadDatasetOptions & { seed: number; validationFraction: number };

async function loadResolved(source: DatasetSource, options: ResolvedOptions): Promise<Loaded> {
  switch (source.kind) {
    case 'embedded-mnist':
      return { dataset: loadEmbeddedMnist(), inputNames: ['gray'] };
    case 'idx-directory':
      return loadIdxDirectory(source.dir, source.train, source.test, options.maxFileBytes);
    case 'idx-file':
      return loadIdxFile(source.files, source.numClasses, options);
    case 'cifar':
      return loadCifar(source, options.maxFileBytes);
    case 'csv':
      return loadCsv(source.file, options);
    case 'image-folder':
      return loadImageFolder(source, options);
  }
}

async function loadIdxDirectory(dir: string, trainFiles: IdxFiles, testFiles: IdxFiles, maxFileBytes: number | undefined): Promise<Loaded> {
  const [train, test] = await Promise.all([
    readIdxPair(trainFiles.images, trainFiles.labels, MNIST_CLASSES, maxFileBytes),
    readIdxPair(testFiles.images, testFiles.labels, MNIST_CLASSES, maxFileBytes),
  ]);
  if (train.images.rows !== test.images.rows || train.images.cols !== test.images.cols) {
    throw new DatasetFormatError(
      testFiles.images,
      `images are ${test.images.rows}×${test.images.cols}, but ${trainFiles.images} has ${train.images.rows}×${train.images.cols}`,
    );
  }
  return {
    dataset: imageDataset(path.basename(dir), dir, [train.images.rows, train.images.cols, 1], MNIST_CLASSES, {
      train: idxSplit(train),
      validation: idxSplit(test),
    }),
    inputNames: ['gray'],
  };
}

async function loadIdxFile(files: IdxFiles, numClasses: number | undefined, options: ResolvedOptions): Promise<Loaded> {
  const pair = await readIdxPair(files.images, files.labels, numClasses, options.maxFileBytes);
  const splits = holdOutValidation(idxSplit(pair), options.validationFraction, options.seed, files.images);
  const name = path.basename(files.images).replace(/\.gz$/i, '');
  return {
    dataset: imageDataset(name, files.images, [pair.images.rows, pair.images.cols, 1], pair.numClasses, splits),
    inputNames: ['gray'],
  };
}

async function loadCifar(source: Extract<DatasetSource, { kind: 'cifar' }>, maxFileBytes: number | undefined): Promise<Loaded> {
  // One file after another: CIFAR-10's training set is 150 MB of bytes before it becomes floats.
  const trainBatches: CifarBatch[] = [];
  for (const file of source.trainFiles) trainBatches.push(await readCifarBatch(file, source.variant, maxFileBytes));
  const test = await readCifarBatch(source.testFile, source.variant, maxFileBytes);
  const train: Split = {
    x: bytesToUnitFloats(trainBatches.map((b) => b.images)),
    y: concatInt32(trainBatches.map((b) => b.labels)),
    n: trainBatches.reduce((sum, b) => sum + b.n, 0),
  };
  const validation: Split = { x: bytesToUnitFloats([test.images]), y: test.labels, n: test.n };
  const dataset = imageDataset(source.variant, source.dir, CIFAR_IMAGE_SHAPE, cifarNumClasses(source.variant), {
    train,
    validation,
  });
  dataset.augment = true;
  const classNames = await readCifarClassNames(source.dir, source.variant);
  if (classNames !== undefined) dataset.classNames = classNames;
  return { dataset, inputNames: ['R', 'G', 'B'] };
}

async function loadImageFolder(source: ImageFolderSource, options: ResolvedOptions): Promise<Loaded> {
  const { shape, pixels } = await readImageFolder(source);
  const imageBytes = shape[0] * shape[1] * shape[2];
  const split = (images: { label: number }[], first: number): Split => ({
    x: bytesToUnitFloats([pixels.subarray(first * imageBytes, (first + images.length) * imageBytes)]),
    y: Int32Array.from(images, (image) => image.label),
    n: images.length,
  });
  const train = split(source.train, 0);
  const splits =
    source.validation === null
      ? holdOutValidation(train, options.validationFraction, options.seed, source.dir)
      : { train, validation: split(source.validation, source.train.length) };
  const dataset = imageDataset(path.basename(source.dir), source.dir, shape, source.classNames.length, splits);
  dataset.classNames = source.classNames;
  return { dataset, inputNames: shape[2] === 1 ? ['gray'] : ['R', 'G', 'B'] };
}

async function loadCsv(file: string, options: ResolvedOptions): Promise<Loaded> {
  const table = await readCsvTable(file, { target: options.target, task: options.task, maxBytes: options.maxFileBytes });
  const all: Split = { x: table.features, y: table.targets, n: table.n };
  const splits = holdOutValidation(all, options.validationFraction, options.seed, file);
  const dataset: Dataset = {
    name: path.basename(file).replace(/\.csv(\.gz)?$/i, ''),
    source: file,
    task: table.task,
    inputShape: [table.featureNames.length],
    numClasses: table.numClasses,
    targetSize: table.task === 'regression' ? table.targetNames.length : 1,
    ...splits,
    augment: false,
    targetNames: table.targetNames,
  };
  return { dataset, inputNames: table.featureNames };
}

function imageDataset(
  name: string,
  source: string,
  inputShape: number[],
  numClasses: number,
  splits: { train: Split; validation: Split },
): Dataset {
  return { name, source, task: 'classification', inputShape, numClasses, targetSize: 1, ...splits, augment: false };
}

function idxSplit(pair: IdxPair): Split {
  return { x: bytesToUnitFloats([pair.images.pixels]), y: pair.labels, n: pair.images.n };
}

/** Pixel bytes 0..255 → floats in [0, 1], concatenated. */
function bytesToUnitFloats(parts: Uint8Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) out[offset + i] = part[i] / 255;
    offset += part.length;
  }
  return out;
}

function concatInt32(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
