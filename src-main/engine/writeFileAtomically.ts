import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes the file whole or not at all, and durably: into a temporary file beside it (`.partial`),
 * flushed to the disk, renamed over it (a rename within a folder is atomic) and the folder flushed, so
 * a crash or a full disk leaves the old file or none, never half of one. On failure the temporary file
 * is removed and the error thrown as it came.
 */
export function writeFileAtomically(path: string, bytes: Uint8Array): void {
  // Unique per writer: worker threads of one process share its pid.
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  try {
    const fd = openSync(temporary, 'w');
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    syncFolder(dirname(path));
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Flushes a folder's entries (the rename) to the disk, where the platform can. */
function syncFolder(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Not every platform can fsync a folder.
  } finally {
    closeSync(fd);
  }
}
