import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes the file whole or not at all: into a temporary file beside it, then renamed over it (a rename
 * within a folder is atomic), so a crash or a full disk leaves the old file or none, never half of one.
 */
export function writeFileAtomically(path: string, bytes: Uint8Array): void {
  // Unique per writer: worker threads of one process share its pid.
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
