/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian header
 * — two zero bytes, a data-type code (0x08 = unsigned byte), the number of dimensions, then one uint32
 * per dimension — followed by the values in row-major order. Images are 0x00000803 ([n, rows, cols]),
 * labels 0x00000801 ([n]).
 */
import { DatasetFormatError } from '../errors';
import { readDatasetFile } from './readDatasetFile';

const UNSIGNED_BYTE = 0x08;
const IMAGES_DIMS = 3;
const LABELS_DIMS = 1;

/** Names of the IDX data types, so an unsupported file says what it holds. */
const IDX_TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

export interface IdxImages {
  n: number;
  rows: number;
  cols: number;
  /** n × rows × cols bytes, row-major. */
  pixels: Uint8Array;
}

export interface IdxPair {
  images: IdxImages;
  /** One class index per image. */
  labels: Int32Array;
  numClasses: number;
}

/** Parses an uncompressed IDX file of unsigned bytes with `expectedDims` dimensions. */
export function parseIdx(bytes: Uint8Array, file: string, expectedDims: number): { dims: number[]; data: Uint8Array } {
  const expectedMagic = hex32(0x0800 | expectedDims);
  const what = expectedDims === IMAGES_DIMS ? 'images' : expectedDims === LABELS_DIMS ? 'labels' : `${expectedDims}-d`;
  if (bytes.length < 4) {
    throw new DatasetFormatError(file, `truncated: ${bytes.length} bytes, too short for an IDX header`);
  }
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[3] !== expectedDims) {
    // The magic number of another IDX file helps (labels given as images); the first bytes of a file
    // that is no IDX at all are its content, which an error never shows.
    const found = bytes[0] === 0 && bytes[1] === 0 ? `bad magic number ${hex32(magic)}` : 'not an IDX file: bad magic number';
    throw new DatasetFormatError(file, `${found}: expected ${expectedMagic} (an IDX ${what} file)`);
  }
  const typeCode = bytes[2];
  if (typeCode !== UNSIGNED_BYTE) {
    const typeName = IDX_TYPE_NAMES[typeCode] ?? 'unknown type';
    throw new DatasetFormatError(
      file,
      `wrong data type code 0x${hex8(typeCode)} (${typeName}): only 0x08 (unsigned byte) is supported, as in MNIST`,
    );
  }
  const headerBytes = 4 + 4 * expectedDims;
  if (bytes.length < headerBytes) {
    throw new DatasetFormatError(
      file,
      `truncated: expected a ${headerBytes}-byte header, found only ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < expectedDims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const expectedBytes = headerBytes + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expectedBytes) {
    const problem = bytes.length < expectedBytes ? 'truncated' : 'unexpected bytes after the data';
    throw new DatasetFormatError(
      file,
      `${problem}: expected ${expectedBytes} bytes (${headerBytes}-byte header + ${dims.join('×')} values), found ${bytes.length}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes, expectedBytes) };
}

export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const { dims, data } = parseIdx(bytes, file, IMAGES_DIMS);
  return { n: dims[0], rows: dims[1], cols: dims[2], pixels: data };
}

export function parseIdxLabels(bytes: Uint8Array, file: string): Uint8Array {
  return parseIdx(bytes, file, LABELS_DIMS).data;
}

/**
 * Reads an images file and its labels file (each raw or gzipped) and checks they belong together.
 * With `numClasses` every label must be below it (MNIST and Fashion-MNIST: 10); without it the
 * number of classes is the largest label + 1.
 */
export async function readIdxPair(imagesFile: string, labelsFile: string, numClasses?: number, maxBytes?: number): Promise<IdxPair> {
  const [imageBytes, labelBytes] = await Promise.all([readDatasetFile(imagesFile, maxBytes), readDatasetFile(labelsFile, maxBytes)]);
  const images = parseIdxImages(imageBytes, imagesFile);
  const rawLabels = parseIdxLabels(labelBytes, labelsFile);
  if (rawLabels.length !== images.n) {
    throw new DatasetFormatError(
      labelsFile,
      `image/label count mismatch: ${rawLabels.length} labels, but ${imagesFile} has ${images.n} images`,
    );
  }
  const labels = Int32Array.from(rawLabels);
  let maxLabel = -1;
  for (let i = 0; i < labels.length; i++) {
    if (numClasses !== undefined && labels[i] >= numClasses) {
      throw new DatasetFormatError(
        labelsFile,
        `label ${labels[i]} at index ${i} is out of range: expected 0..${numClasses - 1}`,
      );
    }
    if (labels[i] > maxLabel) maxLabel = labels[i];
  }
  return { images, labels, numClasses: numClasses ?? maxLabel + 1 };
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

function hex8(value: number): string {
  return value.toString(16).padStart(2, '0');
}
