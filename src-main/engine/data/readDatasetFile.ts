/**
 * Reads a dataset file into memory, decompressing it when it is gzipped. Compression is detected by
 * the gzip magic bytes (1f 8b), not by the file name: downloads are often renamed or unpacked by a
 * browser while keeping (or losing) their ".gz".
 *
 * Only regular files are read (a link is followed first): a device such as /dev/zero never ends, and
 * opening a FIFO waits for a writer. The file and what it inflates to are capped (`maxBytes`), and
 * inflating stops at the cap, so a small gzip bomb costs no more than the cap.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetFormatError } from '../errors';
import { describeBytes, maxDatasetFileBytes } from '../memoryLimits';

const gunzipAsync = promisify(gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function readDatasetFile(file: string, maxBytes = maxDatasetFileBytes()): Promise<Uint8Array> {
  const raw = await readRegularFile(file, maxBytes);
  if (!isGzip(raw)) return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetFormatError(file, `its gzip data inflates to more than ${describeBytes(maxBytes)}, the most a dataset file may hold here`);
    }
    throw new DatasetFormatError(
      file,
      `the gzip data is corrupt or truncated (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

async function readRegularFile(file: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    // Non-blocking, so that opening a FIFO returns at once (and is then refused) instead of waiting for a writer.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new DatasetFormatError(file, `cannot read the file (${describeFsError(error)})`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new DatasetFormatError(file, 'cannot read the file (it is a directory)');
    if (!info.isFile()) throw new DatasetFormatError(file, 'not a regular file (a device, FIFO or socket): a dataset is read from files only');
    if (info.size > maxBytes) throw new DatasetFormatError(file, `the file is ${describeBytes(info.size)}, more than the ${describeBytes(maxBytes)} a dataset file may hold here`);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof DatasetFormatError) throw error;
    throw new DatasetFormatError(file, `cannot read the file (${describeFsError(error)})`);
  } finally {
    await handle.close();
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
