import { WeightsFileError } from '../errors';
import { product } from '../nn/shapes';

/**
 * The safetensors format (huggingface/safetensors), which PyTorch, JAX and NumPy users read: an unsigned
 * 64-bit little-endian header length N, N bytes of JSON header `{name: {dtype, shape, data_offsets: [begin,
 * end]}, "__metadata__": {key: string}}`, then the tensors' bytes, row-major and little-endian, with the
 * offsets counted from the end of the header. Written and read here without a dependency, and read
 * strictly, as the reference reader is: the tensors must tile the data exactly (no overlap, no gap, nothing
 * after the last), so a truncated or tampered file is refused rather than half read.
 */

/** Bytes per element of each dtype the format defines: a file holding any other is refused. */
const dtypeSizes = { BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8 };

export type SafetensorsDtype = keyof typeof dtypeSizes;

/** The reference reader's bound on the header: a larger one is a corrupt length, not a header. */
const MAX_HEADER_BYTES = 100_000_000;
const HEADER_LENGTH_BYTES = 8;

/** One tensor as the header describes it; `byteOffset` counts from the start of the file. */
export interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  byteOffset: number;
  byteLength: number;
}

export interface SafetensorsHeader {
  tensors: TensorEntry[];
  metadata: Record<string, string>;
}

/** A float32 tensor to write: row-major values of `shape`. */
export interface Float32Tensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Header and data in the file's order, the header padded with spaces so the data starts 8-byte aligned (as the reference writes it). */
export function encodeSafetensors(tensors: readonly Float32Tensor[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    if (t.values.length !== product(t.shape)) throw new Error(`tensor "${t.name}": ${t.values.length} values for shape [${t.shape}]`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * t.values.length] };
    offset += 4 * t.values.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(HEADER_LENGTH_BYTES + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, HEADER_LENGTH_BYTES);
  bytes.fill(0x20, HEADER_LENGTH_BYTES + json.length, HEADER_LENGTH_BYTES + headerLength);
  let at = HEADER_LENGTH_BYTES + headerLength;
  for (const t of tensors) {
    for (const v of t.values) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return bytes;
}

/**
 * How many bytes the header length field and the header take, from the file's first 8 bytes: a reader
 * of the header alone reads that many. Refuses a file too short to hold them.
 */
export function headerExtent(start: Uint8Array, fileSize: number, file: string): number {
  if (start.length < HEADER_LENGTH_BYTES) {
    throw new WeightsFileError(file, `the file is truncated: ${fileSize} bytes, too short for the 8-byte header length of a safetensors file`);
  }
  const length = new DataView(start.buffer, start.byteOffset, HEADER_LENGTH_BYTES).getBigUint64(0, true);
  if (length > BigInt(fileSize - HEADER_LENGTH_BYTES)) {
    throw new WeightsFileError(file, `the header length (${length} bytes) runs past the end of the file (${fileSize} bytes): the file is truncated or not safetensors`);
  }
  if (length > BigInt(MAX_HEADER_BYTES)) throw new WeightsFileError(file, `the header length (${length} bytes) is over the format's limit of ${MAX_HEADER_BYTES}`);
  return HEADER_LENGTH_BYTES + Number(length);
}

/**
 * The header of a file of `fileSize` bytes whose first bytes (at least headerExtent's) are `start`,
 * checked in full: JSON, known dtypes, shapes, offsets that match the shapes and tile the data section.
 */
export function parseSafetensorsHeader(start: Uint8Array, fileSize: number, file: string): SafetensorsHeader {
  const extent = headerExtent(start, fileSize, file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(start.subarray(HEADER_LENGTH_BYTES, extent));
  } catch {
    throw new WeightsFileError(file, 'the header is not UTF-8 text: not a safetensors file');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WeightsFileError(file, `the header is not JSON (${(error as Error).message}): not a safetensors file`);
  }
  if (!isRecord(json)) throw new WeightsFileError(file, 'the header is not a JSON object: not a safetensors file');
  const { __metadata__: rawMetadata, ...entries } = json;
  const tensors = Object.entries(entries).map(([name, entry]) => tensorEntry(name, entry, extent, file));
  checkTiling(tensors, extent, fileSize, file);
  return { tensors, metadata: metadataOf(rawMetadata, file) };
}

/** A whole file: its header and each tensor's bytes. */
export interface SafetensorsFile extends SafetensorsHeader {
  /** A view of the entry's bytes in the file. */
  bytesOf(entry: TensorEntry): Uint8Array;
}

export function decodeSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  const header = parseSafetensorsHeader(bytes, bytes.length, file);
  return { ...header, bytesOf: (entry) => bytes.subarray(entry.byteOffset, entry.byteOffset + entry.byteLength) };
}

/** A tensor's values as float32, from its little-endian bytes; only F32 tensors are read (refused naming the tensor otherwise). */
export function float32Values(entry: TensorEntry, bytes: Uint8Array, file: string): Float32Array {
  if (entry.dtype !== 'F32') {
    throw new WeightsFileError(file, `tensor "${entry.name}" is ${entry.dtype}; CurveLab reads F32 weights (in PyTorch, save tensor.float())`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * i, true);
  return values;
}

function tensorEntry(name: string, entry: unknown, dataStart: number, file: string): TensorEntry {
  const fault = (problem: string) => new WeightsFileError(file, `tensor "${name}": ${problem}`);
  if (!isRecord(entry)) throw fault('expected {dtype, shape, data_offsets}');
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string' || !Object.hasOwn(dtypeSizes, dtype)) {
    throw fault(`unknown dtype ${JSON.stringify(dtype)} (the format's are ${Object.keys(dtypeSizes).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) throw fault(`the shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw fault(`data_offsets ${JSON.stringify(offsets)} are not [begin, end] with 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as [number, number];
  const needed = product(shape) * dtypeSizes[dtype as SafetensorsDtype];
  if (end - begin !== needed) throw fault(`data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dtype} of shape [${shape}] takes ${needed}`);
  return { name, dtype: dtype as SafetensorsDtype, shape: [...shape], byteOffset: dataStart + begin, byteLength: needed };
}

/** The tensors must cover the data section exactly once: a gap, an overlap or bytes left over mean a damaged file. */
function checkTiling(tensors: TensorEntry[], dataStart: number, fileSize: number, file: string): void {
  const dataLength = fileSize - dataStart;
  const sorted = [...tensors].sort((a, b) => a.byteOffset - b.byteOffset || a.byteLength - b.byteLength);
  const offsets = (t: TensorEntry) => `data bytes ${t.byteOffset - dataStart}–${t.byteOffset - dataStart + t.byteLength}`;
  for (const t of sorted) {
    if (t.byteOffset + t.byteLength > fileSize) {
      throw new WeightsFileError(file, `the file is truncated: tensor "${t.name}" takes ${offsets(t)}, but only ${dataLength} bytes follow the header`);
    }
  }
  let covered = 0;
  let previous: TensorEntry | null = null;
  for (const t of sorted) {
    const begin = t.byteOffset - dataStart;
    if (begin < covered) throw new WeightsFileError(file, `tensors "${previous!.name}" and "${t.name}" overlap (${offsets(previous!)} and ${offsets(t)})`);
    if (begin > covered) throw new WeightsFileError(file, `data bytes ${covered}–${begin} belong to no tensor`);
    covered = begin + t.byteLength;
    previous = t;
  }
  if (covered < dataLength) throw new WeightsFileError(file, `${dataLength - covered} bytes after the last tensor belong to no tensor`);
}

function metadataOf(value: unknown, file: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new WeightsFileError(file, '__metadata__ is not a JSON object');
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new WeightsFileError(file, `__metadata__ "${key}" is not a string (the format's metadata values are strings)`);
  }
  return value as Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
