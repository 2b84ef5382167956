import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserInputError } from '../engine/errors';
import { StorageError } from '../lab/store';
import { openCliStore } from './openCliStore';

let dir: string;
const mounted: string[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-cli-store-'));
});
afterEach(() => {
  for (const mountPoint of mounted.splice(0)) execFileSync('umount', [mountPoint]);
  rmSync(dir, { recursive: true, force: true });
});

function refusal(open: () => unknown): Error {
  try {
    open();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the store to be refused');
}

/**
 * A database this process may read but not write: a file without write permission, or for root (whom
 * permissions do not stop) one on a tmpfs remounted read-only. Null where neither can be made.
 */
function readOnlyDatabase(): string | null {
  const root = process.getuid?.() === 0;
  const folder = join(dir, 'read-only');
  mkdirSync(folder);
  if (root) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', folder], { stdio: 'ignore' });
    } catch {
      return null;
    }
    mounted.push(folder);
  }
  const file = join(folder, 'lab.db');
  const store = openCliStore(file);
  store.createExperiment({ name: 'kept' });
  store.close();
  if (root) execFileSync('mount', ['-o', 'remount,ro', folder]);
  else chmodSync(file, 0o444);
  return file;
}

describe('openCliStore', () => {
  it('a folder as --db is the user\'s error, named, without a stack trace', () => {
    const error = refusal(() => openCliStore(dir));
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.message).toBe(`${dir} cannot be opened as a CurveLab database: it is a folder: expected an SQLite 3 file (or a path where one can be created)`);
  });

  it('for reading, a file that does not exist is refused and not created', () => {
    const file = join(dir, 'missing', 'lab.db');
    const error = refusal(() => openCliStore(file, 'read'));
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.message).toBe(`${file} cannot be opened as a CurveLab database: its folder ${join(dir, 'missing')} does not exist`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('a database this user may not write is refused for writing, saying why', (context) => {
    const file = readOnlyDatabase();
    if (file === null) {
      console.warn('skipped: no read-only database can be made here (root without the right to mount a tmpfs)');
      return context.skip();
    }
    const error = refusal(() => openCliStore(file));
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.message).toMatch(new RegExp(`^${file}: the database cannot be written \\(the file or its folder is read-only, or it was opened for reading only\\) \\((SQLITE_READONLY\\w*|SQLITE_CANTOPEN)\\)$`));
  });

  it('for commands that only read, the database is opened read-only: it is read, and nothing is written', () => {
    const file = join(dir, 'lab.db');
    const writer = openCliStore(file);
    writer.createExperiment({ name: 'kept' });
    writer.close();

    const reader = openCliStore(file, 'read');
    expect(reader.listExperiments().map((e) => e.name)).toEqual(['kept']);
    const write = refusal(() => reader.createExperiment({ name: 'not here' }));
    expect(write).toBeInstanceOf(StorageError);
    expect(write).toMatchObject({ failure: 'read-only', sqliteCode: 'SQLITE_READONLY' });
    reader.close();
    const again = openCliStore(file);
    expect(again.listExperiments().map((e) => e.name)).toEqual(['kept']);
    again.close();
  });
});
