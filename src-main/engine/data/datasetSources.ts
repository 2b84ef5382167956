/**
 * What a dataset source string refers to: the built-in name `mnist`, or a file or folder whose kind
 * is recognised from the file names in it. Resolving only looks at names (and stats files); reading
 * and checking the contents is the loaders' job.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserInputError } from '../errors';
import type { CifarVariant } from './cifar';
import { archiveRefusal, isArchiveName } from './datasetArchives';
import { resolveImageFolder, type ImageFolderSource } from './imageFolderSource';

export interface IdxFiles {
  images: string;
  labels: string;
}

export type DatasetSource =
  | { kind: 'embedded-mnist' }
  | { kind: 'idx-directory'; dir: string; train: IdxFiles; test: IdxFiles }
  /** `numClasses` is 10 for the standard MNIST names (train-/t10k-), else inferred from the labels. */
  | { kind: 'idx-file'; files: IdxFiles; numClasses?: number }
  | { kind: 'cifar'; variant: CifarVariant; dir: string; trainFiles: string[]; testFile: string }
  | { kind: 'csv'; file: string }
  | ImageFolderSource;

export const EMBEDDED_MNIST_NAME = 'mnist';

const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};
const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const CIFAR10_TEST_FILE = 'test_batch.bin';
const CIFAR100_TRAIN_FILE = 'train.bin';
const CIFAR100_TEST_FILE = 'test.bin';
/** The folders the official archives unpack to, accepted one level down. */
const CIFAR_ARCHIVE_FOLDERS = ['cifar-10-batches-bin', 'cifar-100-binary'];

/** Text for the CLI's help: every kind of source loadDataset accepts. */
export function describeDatasetSources(): string {
  return [
    'Datasets (inputs are scaled, images to [0, 1], then standardised per channel or column with',
    'training-set statistics):',
    `  ${EMBEDDED_MNIST_NAME}           the 10,000 MNIST digits bundled with CurveLab, offline (8,000 train /`,
    '                  2,000 validation, stratified); to load a folder named "mnist", write ./mnist',
    '  <folder>        MNIST or Fashion-MNIST IDX files: train-images-idx3-ubyte, train-labels-idx1-ubyte,',
    '                  t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be .gz); t10k = validation',
    `  <folder>        CIFAR-10 binary batches: data_batch_1.bin … data_batch_5.bin and test_batch.bin`,
    '                  (or the cifar-10-batches-bin folder inside it); trained with random flips and shifts',
    '  <folder>        CIFAR-100 binary: train.bin and test.bin (or cifar-100-binary inside it); fine labels,',
    '                  100 classes; trained with random flips and shifts',
    '  <name>-images-idx3-ubyte[.gz]',
    '                  one IDX images file, its labels file (<name>-labels-idx1-ubyte[.gz]) beside it;',
    '                  a seeded random validation set is split off (default fraction 0.1)',
    '  <file>.csv      numeric CSV with a header row; --target names one integer label column',
    '                  (classification) or several comma-separated columns (regression); the other',
    '                  columns are features; a seeded random validation set is split off (default 0.1)',
    '  <folder>        PNG or JPEG images in class subfolders, <folder>/<class>/<image> (or train/<class>/… beside',
    '                  val/<class>/…, else a seeded validation set is split off); labels are the sorted folder',
    '                  names; one size for all, or resized to the imageSize of <folder>/curvelab-images.json',
    '  Archives (.tar.gz, .tgz, .tar, .zip) are not read: extract them first. See docs/datasets.md.',
  ].join('\n');
}

export async function resolveDatasetSource(source: string): Promise<DatasetSource> {
  if (source.trim().toLowerCase() === EMBEDDED_MNIST_NAME) return { kind: 'embedded-mnist' };
  const resolved = path.resolve(source);
  const info = await stat(resolved).catch(() => undefined);
  if (info === undefined) {
    throw new UserInputError(
      `Unknown dataset "${source}": it is not a built-in dataset and no file or folder has that path.\n` +
        describeDatasetSources(),
    );
  }
  if (info.isDirectory()) return resolveDirectory(resolved, source);
  // A device never ends (/dev/zero) and a FIFO blocks its reader: only files and folders are datasets.
  if (!info.isFile()) throw new UserInputError(`Dataset "${source}": not a regular file or folder (a device, FIFO or socket); a dataset is read from files only`);
  return resolveFile(resolved, source);
}

async function resolveDirectory(dir: string, source: string): Promise<DatasetSource> {
  const entries = new Set(await readdir(dir));
  const notADataset = (detail: string): UserInputError =>
    new UserInputError(`Dataset folder "${source}": ${detail}.\n${describeDatasetSources()}`);

  const idx = Object.fromEntries(
    Object.entries(MNIST_FILES).map(([role, name]) => [role, findIdxFile(entries, name)]),
  ) as Record<keyof typeof MNIST_FILES, string | undefined>;
  const idxFound = Object.values(idx).filter((f) => f !== undefined).length;
  if (idxFound === 4) {
    const at = (name: string | undefined): string => path.join(dir, name as string);
    return {
      kind: 'idx-directory',
      dir,
      train: { images: at(idx.trainImages), labels: at(idx.trainLabels) },
      test: { images: at(idx.testImages), labels: at(idx.testLabels) },
    };
  }
  if (idxFound > 0) {
    const missing = Object.entries(idx).flatMap(([role, f]) => (f === undefined ? [MNIST_FILES[role as keyof typeof MNIST_FILES]] : []));
    throw notADataset(`it looks like MNIST but lacks ${missing.join(', ')} (each may end in .gz)`);
  }

  const cifar10 = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  if (cifar10.some((name) => entries.has(name))) {
    const missing = cifar10.filter((name) => !entries.has(name));
    if (missing.length > 0) throw notADataset(`it looks like CIFAR-10 but lacks ${missing.join(', ')}`);
    return {
      kind: 'cifar',
      variant: 'cifar-10',
      dir,
      trainFiles: CIFAR10_TRAIN_FILES.map((name) => path.join(dir, name)),
      testFile: path.join(dir, CIFAR10_TEST_FILE),
    };
  }
  if (entries.has(CIFAR100_TRAIN_FILE) || entries.has(CIFAR100_TEST_FILE)) {
    const missing = [CIFAR100_TRAIN_FILE, CIFAR100_TEST_FILE].filter((name) => !entries.has(name));
    if (missing.length > 0) throw notADataset(`it looks like CIFAR-100 but lacks ${missing.join(', ')}`);
    return {
      kind: 'cifar',
      variant: 'cifar-100',
      dir,
      trainFiles: [path.join(dir, CIFAR100_TRAIN_FILE)],
      testFile: path.join(dir, CIFAR100_TEST_FILE),
    };
  }
  const archiveFolder = CIFAR_ARCHIVE_FOLDERS.find((name) => entries.has(name));
  if (archiveFolder !== undefined) return resolveDirectory(path.join(dir, archiveFolder), path.join(source, archiveFolder));
  const images = await resolveImageFolder(dir);
  if (images !== undefined) return images;
  // A download folder holding the archive itself: say how to extract it.
  const archive = [...entries].sort().find(isArchiveName);
  if (archive !== undefined) throw await archiveRefusal(path.join(dir, archive), path.join(source, archive));
  throw notADataset('no MNIST, Fashion-MNIST, CIFAR-10 or CIFAR-100 files found in it, nor class subfolders of PNG or JPEG images');
}

/** An IDX file name as distributed ("train-images-idx3-ubyte") or as some mirrors spell it ("train-images.idx3-ubyte"), raw or gzipped. */
function findIdxFile(entries: Set<string>, name: string): string | undefined {
  const spellings = [name, name.replace(/-(idx\d)/, '.$1')];
  return spellings.flatMap((s) => [s, `${s}.gz`]).find((candidate) => entries.has(candidate));
}

async function resolveFile(file: string, source: string): Promise<DatasetSource> {
  const archive = await archiveRefusal(file, source);
  if (archive !== undefined) throw archive;
  const base = path.basename(file);
  const lower = base.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.csv.gz')) return { kind: 'csv', file };
  if (/labels[-.]idx1/.test(lower)) {
    throw new UserInputError(
      `Dataset file "${source}" is an IDX labels file: pass the images file (…-images-idx3-ubyte); ` +
        'its labels file is found beside it',
    );
  }
  const imagesName = base.replace(/\.gz$/i, '');
  if (!/images[-.]idx3/i.test(imagesName)) {
    throw new UserInputError(`Unknown kind of dataset file "${source}".\n${describeDatasetSources()}`);
  }
  const labelsName = imagesName.replace(/images([-.])idx3/i, 'labels$1idx1');
  const candidates = [labelsName, `${labelsName}.gz`].map((name) => path.join(path.dirname(file), name));
  const labels = await firstExisting(candidates);
  if (labels === undefined) {
    throw new UserInputError(
      `Dataset file "${source}": its labels file is missing; expected ${candidates.join(' or ')}`,
    );
  }
  const isStandardMnistName = /^(train|t10k)-images[-.]idx3-ubyte$/i.test(imagesName);
  return { kind: 'idx-file', files: { images: file, labels }, numClasses: isStandardMnistName ? 10 : undefined };
}

async function firstExisting(files: string[]): Promise<string | undefined> {
  for (const file of files) {
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  }
  return undefined;
}
