/**
 * Reads a dataset file into memory, decompressing it when it is gzipped. Compression is detected by
 * the gzip magic bytes (1f 8b), not by the file name: downloads are often renamed or unpacked by a
 * browser while keeping (or losing) their ".gz".
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetFormatError } from '../errors';

const gunzipAsync = promisify(gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function readDatasetFile(file: string): Promise<Uint8Array> {
  let raw: Uint8Array;
  try {
    raw = await readFile(file);
  } catch (error) {
    throw new DatasetFormatError(file, `cannot read the file (${describeFsError(error)})`);
  }
  if (!isGzip(raw)) return raw;
  try {
    return await gunzipAsync(raw);
  } catch (error) {
    throw new DatasetFormatError(
      file,
      `the gzip data is corrupt or truncated (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
