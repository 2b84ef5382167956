import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointFileError, UserInputError } from '../errors';
import { writeFileAtomically } from '../writeFileAtomically';

/** Checkpoints a folder keeps: the newest, and the one before in case the newest is damaged. */
const KEPT = 2;
const fileName = /^step-(\d+)\.ckpt$/;

/**
 * The folder of one run's checkpoints, `step-<n>.ckpt` (n: the steps taken). Each is written whole or not
 * at all (a temporary file, flushed to the disk, renamed, and the folder flushed), and older ones are
 * deleted once a newer one is safely there, so a crash at any moment leaves at least one whole
 * checkpoint. The path may be known only once the run has started (`curvelab train` makes its row at
 * the `start` event): then it is given as a function, asked each time, null while it is not known (there
 * is nothing to resume from then).
 */
export class CheckpointFolder {
  constructor(private readonly where: string | (() => string | null)) {}

  get path(): string | null {
    return typeof this.where === 'string' ? this.where : this.where();
  }

  /** The checkpoints there, newest first. */
  files(): { file: string; step: number }[] {
    const path = this.path;
    if (path === null || !existsSync(path)) return [];
    return readdirSync(path)
      .flatMap((name) => {
        const match = fileName.exec(name);
        return match ? [{ file: join(path, name), step: Number(match[1]) }] : [];
      })
      .sort((a, b) => b.step - a.step);
  }

  /** Writes the checkpoint of `step` atomically and durably, then deletes all but the newest KEPT (and any temporary file left by a crash). */
  write(step: number, bytes: Uint8Array): string {
    const path = this.path;
    if (path === null) throw new Error('CheckpointFolder: a checkpoint is written before the folder is known');
    const file = join(path, `step-${step}.ckpt`);
    try {
      mkdirSync(path, { recursive: true });
      writeFileAtomically(file, bytes);
    } catch (error) {
      // A full disk says so in the words the database's own full-disk error uses, not as ENOSPC.
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : (error as Error).message;
      throw new CheckpointFileError(file, `the checkpoint could not be written: ${why}`);
    }
    for (const old of this.files().slice(KEPT)) rmSync(old.file, { force: true });
    // Temporary files a crash left behind.
    for (const name of readdirSync(path)) if (name.endsWith('.partial')) rmSync(join(path, name), { force: true });
    return file;
  }

  /**
   * The newest checkpoint of at most `atMost` steps that `decode` accepts, trying older ones when a newer
   * is refused (each refusal told to `onRefused`); null when there is none. When every one is refused,
   * throws the newest's refusal (or, of several, all of them).
   */
  latest<T>(decode: (bytes: Uint8Array, file: string) => T, onRefused: (error: UserInputError) => void = () => {}, atMost = Infinity): T | null {
    const refusals: UserInputError[] = [];
    for (const { file } of this.files().filter((f) => f.step <= atMost)) {
      try {
        return decode(readCheckpointBytes(file), file);
      } catch (error) {
        if (!(error instanceof UserInputError)) throw error;
        refusals.push(error);
        onRefused(error);
      }
    }
    if (refusals.length <= 1) {
      if (refusals[0]) throw refusals[0];
      return null;
    }
    throw new UserInputError(`no checkpoint of this run can be resumed from: ${refusals.map((e) => e.message).join('; ')}`);
  }

  /** Deletes the folder and every checkpoint in it. */
  remove(): void {
    const path = this.path;
    if (path !== null) rmSync(path, { recursive: true, force: true });
  }
}

function readCheckpointBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CheckpointFileError(file, `cannot read the checkpoint (${(error as Error).message})`);
  }
}
