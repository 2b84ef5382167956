/**
 * The binary versions of CIFAR-10 and CIFAR-100 (https://www.cs.toronto.edu/~kriz/cifar.html). A file
 * is a sequence of fixed-size records: the label byte(s), then 3072 pixel bytes stored channel-planar
 * (1024 red, 1024 green, 1024 blue, each 32×32 row-major). CurveLab keeps images height × width ×
 * channels, so records are transposed to HWC here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DatasetFormatError } from '../errors';
import { readDatasetFile } from './readDatasetFile';

export type CifarVariant = 'cifar-10' | 'cifar-100';

export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
export const CIFAR_IMAGE_SHAPE = [CIFAR_SIDE, CIFAR_SIDE, CIFAR_CHANNELS];
const PLANE_BYTES = CIFAR_SIDE * CIFAR_SIDE;
const IMAGE_BYTES = PLANE_BYTES * CIFAR_CHANNELS;

interface VariantLayout {
  /** CIFAR-10: one label byte. CIFAR-100: coarse label byte, then fine label byte (used). */
  labelBytes: number;
  numClasses: number;
  /** CIFAR-100's 20 superclasses, checked so a corrupt record is caught early. */
  numCoarseClasses?: number;
  /** Optional text file beside the batches with one class name per line. */
  classNamesFile: string;
}

const LAYOUTS: Record<CifarVariant, VariantLayout> = {
  'cifar-10': { labelBytes: 1, numClasses: 10, classNamesFile: 'batches.meta.txt' },
  'cifar-100': { labelBytes: 2, numClasses: 100, numCoarseClasses: 20, classNamesFile: 'fine_label_names.txt' },
};

export function cifarNumClasses(variant: CifarVariant): number {
  return LAYOUTS[variant].numClasses;
}

export interface CifarBatch {
  n: number;
  /** n × 32 × 32 × 3 bytes, HWC. */
  images: Uint8Array;
  labels: Int32Array;
}

export function parseCifarBatch(bytes: Uint8Array, file: string, variant: CifarVariant): CifarBatch {
  const layout = LAYOUTS[variant];
  const recordBytes = layout.labelBytes + IMAGE_BYTES;
  if (bytes.length === 0) throw new DatasetFormatError(file, `the file is empty: expected ${variant} records`);
  if (bytes.length % recordBytes !== 0) {
    throw new DatasetFormatError(
      file,
      `truncated: ${bytes.length} bytes is not a multiple of the ${recordBytes}-byte ${variant} record ` +
        `(${layout.labelBytes} label byte${layout.labelBytes > 1 ? 's' : ''} + ${IMAGE_BYTES} pixel bytes); ` +
        `the last record has ${bytes.length % recordBytes} bytes`,
    );
  }
  const n = bytes.length / recordBytes;
  const images = new Uint8Array(n * IMAGE_BYTES);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const record = i * recordBytes;
    if (layout.numCoarseClasses !== undefined) {
      checkLabel(bytes[record], layout.numCoarseClasses, 'coarse label', i, file);
    }
    const label = bytes[record + layout.labelBytes - 1];
    checkLabel(label, layout.numClasses, layout.labelBytes > 1 ? 'fine label' : 'label', i, file);
    labels[i] = label;
    planarToHwc(bytes, record + layout.labelBytes, images, i * IMAGE_BYTES);
  }
  return { n, images, labels };
}

export async function readCifarBatch(file: string, variant: CifarVariant, maxBytes?: number): Promise<CifarBatch> {
  return parseCifarBatch(await readDatasetFile(file, maxBytes), file, variant);
}

/**
 * Class names from the text file the binary distribution ships beside the batches
 * (batches.meta.txt for CIFAR-10, fine_label_names.txt for CIFAR-100). The names only label plots,
 * so a missing file or one with the wrong number of names gives `undefined` rather than an error.
 */
export async function readCifarClassNames(dir: string, variant: CifarVariant): Promise<string[] | undefined> {
  const layout = LAYOUTS[variant];
  let text: string;
  try {
    text = await readFile(path.join(dir, layout.classNamesFile), 'utf8');
  } catch {
    return undefined;
  }
  const names = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return names.length === layout.numClasses ? names : undefined;
}

/** Copies one channel-planar image (R plane, G plane, B plane) into HWC order. */
function planarToHwc(source: Uint8Array, sourceStart: number, target: Uint8Array, targetStart: number): void {
  for (let channel = 0; channel < CIFAR_CHANNELS; channel++) {
    const plane = sourceStart + channel * PLANE_BYTES;
    for (let pixel = 0; pixel < PLANE_BYTES; pixel++) {
      target[targetStart + pixel * CIFAR_CHANNELS + channel] = source[plane + pixel];
    }
  }
}

function checkLabel(label: number, numClasses: number, what: string, record: number, file: string): void {
  if (label >= numClasses) {
    throw new DatasetFormatError(
      file,
      `record ${record}: ${what} ${label} is out of range (expected 0..${numClasses - 1})`,
    );
  }
}
