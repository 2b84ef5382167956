import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { ArchiveError } from './archiveError';
import type { ArchiveLimits } from './archiveLimits';
import { unsafeEntryName } from './entryNames';

/** One file in a zip, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated: the only two methods read. */
  method: 0 | 8;
  compressedSize: number;
  /** Uncompressed size as declared; reading enforces it. */
  size: number;
  crc32: number;
  /** Where the entry's (compressed) bytes start in the archive. */
  dataOffset: number;
}

const endOfCentralDirectory = 0x06054b50;
const centralHeader = 0x02014b50;
const localHeader = 0x04034b50;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function corrupt(problem: string): ArchiveError {
  return new ArchiveError(undefined, `not a zip archive, or a damaged one (${problem})`);
}

/** The end-of-central-directory record: the last 22 bytes plus a comment of at most 65,535 bytes. */
function findEndRecord(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (view.getUint32(at, true) === endOfCentralDirectory && at + 22 + view.getUint16(at + 20, true) === view.byteLength) return at;
  }
  throw corrupt('no end-of-central-directory record: the file is truncated or is not a zip');
}

/**
 * Reads and checks the zip's directory without inflating anything: the entry count, every name (no
 * paths that escape the archive, no duplicates), supported methods, no encryption, declared sizes
 * within `limits`, and every entry's bytes inside the file and apart from the others.
 */
export function readZipDirectory(bytes: Uint8Array, limits: ArchiveLimits): ZipEntry[] {
  if (bytes.byteLength > limits.maxArchiveBytes) {
    throw new ArchiveError(undefined, `the file is ${bytes.byteLength} bytes, more than the limit of ${limits.maxArchiveBytes}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A zip starts with its first entry's header, or with the end record when it holds none. A file that
  // starts otherwise (a CSV, a dataset, random bytes) was never an archive: say only that.
  const first = bytes.byteLength >= 4 ? view.getUint32(0, true) : null;
  if (first !== localHeader && first !== endOfCentralDirectory) throw new ArchiveError(undefined, 'not a zip archive');
  if (bytes.byteLength < 22) throw corrupt(`only ${bytes.byteLength} bytes`);
  const end = findEndRecord(view);
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0 || view.getUint16(end + 8, true) !== count) {
    throw corrupt('a multi-part archive');
  }
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    throw corrupt('a zip64 archive, which CurveLab does not write');
  }
  if (directoryOffset + directorySize !== end) throw corrupt('the central directory is not where the end record says');
  if (count > limits.maxEntries) {
    throw new ArchiveError(undefined, `it has ${count} entries, more than the limit of ${limits.maxEntries}`);
  }

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let totalSize = 0;
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== centralHeader) throw corrupt(`central directory record ${i + 1} is malformed`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    if (next > end) throw corrupt(`central directory record ${i + 1} runs past the directory`);
    const rawName = bytes.subarray(at + 46, at + 46 + nameLength);
    let name: string;
    try {
      name = utf8.decode(rawName);
    } catch {
      throw new ArchiveError(undefined, `entry ${i + 1} has a name that is not UTF-8`);
    }
    const unsafe = unsafeEntryName(name);
    if (unsafe) throw new ArchiveError(name, `refused: ${unsafe}`);
    if (names.has(name)) throw new ArchiveError(name, 'appears twice in the archive');
    names.add(name);
    if (flags & 0x41) throw new ArchiveError(name, 'is encrypted');
    if (method !== 0 && method !== 8) throw new ArchiveError(name, `uses compression method ${method}; expected 0 (stored) or 8 (deflate)`);
    if (size > limits.maxEntryBytes) {
      throw new ArchiveError(name, `declares ${size} bytes uncompressed, more than the limit of ${limits.maxEntryBytes}`);
    }
    totalSize += size;
    if (totalSize > limits.maxTotalBytes) {
      throw new ArchiveError(undefined, `its entries declare more than the limit of ${limits.maxTotalBytes} bytes uncompressed in all`);
    }
    if (method === 0 && compressedSize !== size) throw new ArchiveError(name, 'is stored with different compressed and uncompressed sizes');

    if (localOffset + 30 > directoryOffset || view.getUint32(localOffset, true) !== localHeader) {
      throw new ArchiveError(name, 'has no local header where the central directory says');
    }
    const localNameLength = view.getUint16(localOffset + 26, true);
    const dataOffset = localOffset + 30 + localNameLength + view.getUint16(localOffset + 28, true);
    const localName = bytes.subarray(localOffset + 30, localOffset + 30 + localNameLength);
    if (localNameLength !== nameLength || !localName.every((b, k) => b === rawName[k])) {
      throw new ArchiveError(name, 'has a different name in its local header');
    }
    if (dataOffset + compressedSize > directoryOffset) throw new ArchiveError(name, 'runs past the end of the archive data (truncated?)');
    entries.push({ name, method, compressedSize, size, crc32: crc, dataOffset });
    at = next;
  }
  if (at !== end) throw corrupt('the central directory has bytes its records do not account for');

  // Overlapping entries are a way to make a small file inflate many times over.
  const byOffset = [...entries].sort((a, b) => a.dataOffset - b.dataOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1]!;
    if (previous.dataOffset + previous.compressedSize > byOffset[i]!.dataOffset) {
      throw new ArchiveError(byOffset[i]!.name, `overlaps entry ${previous.name}`);
    }
  }
  return entries;
}

/** Compressed bytes go to the inflater in slices this big, so one push yields at most ~1032× as much. */
const inflateSlice = 16 * 1024;

/**
 * An entry's bytes, inflated with the declared size as a hard cap (the inflater stops as soon as the
 * output would pass it), then checked against the declared size and CRC-32.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    out = data;
  } else {
    out = new Uint8Array(entry.size);
    let filled = 0;
    const inflater = new Inflate((chunk) => {
      if (filled + chunk.length > entry.size) {
        throw new ArchiveError(entry.name, `inflates to more than the ${entry.size} bytes its header declares (a zip bomb?)`);
      }
      out.set(chunk, filled);
      filled += chunk.length;
    });
    try {
      if (data.length === 0) inflater.push(data, true);
      for (let at = 0; at < data.length; at += inflateSlice) {
        inflater.push(data.subarray(at, at + inflateSlice), at + inflateSlice >= data.length);
      }
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveError(entry.name, `the compressed data is damaged (${(error as Error).message})`);
    }
    if (filled !== entry.size) throw new ArchiveError(entry.name, `inflates to ${filled} bytes, not the ${entry.size} its header declares`);
  }
  if (crc32(out) >>> 0 !== entry.crc32) throw new ArchiveError(entry.name, 'fails its CRC-32 check: the archive is damaged');
  return out;
}
