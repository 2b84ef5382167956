import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserInputError } from '../engine/errors';
import { writeFileAtomically } from '../engine/writeFileAtomically';

/** `--out` as given (a folder gets the default file name inside it), or the default name in the current folder. */
export function outputPath(out: string | undefined, defaultName: string): string {
  if (out === undefined) return resolve(defaultName);
  if (existsSync(out) && statSync(out).isDirectory()) return resolve(out, defaultName);
  return resolve(out);
}

/**
 * Writes a command's output file whole or not at all (writeFileAtomically). A file there already is
 * refused unless `force`; a path that cannot be written is the user's error, named.
 */
export function writeOutputFile(path: string, bytes: Uint8Array, force: boolean, what: string): void {
  if (existsSync(path) && !force) throw new UserInputError(`${path} exists already: choose another --out, or add --force to replace it`);
  try {
    writeFileAtomically(path, bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new UserInputError(`${path}: cannot write the ${what} (${(error as Error).message})`);
    }
    throw error;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
