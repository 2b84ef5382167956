import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultDatabasePath } from '../lab/defaultDatabasePath';
import { openStore, StoreError, type Store } from '../lab/store';
import { UserInputError } from '../engine/errors';

/**
 * Opens `--db` (or the default database). `write` (the default) creates it and its folder if needed;
 * `read`, for commands that only read, opens an existing file read-only, so a database the user may only
 * read still serves them and nothing is written. A path the store cannot use (a folder, a read-only file
 * for writing, not a database) is the user's error, named.
 */
export function openCliStore(dbPath: string | undefined, access: 'read' | 'write' = 'write'): Store {
  const path = dbPath ?? defaultDatabasePath();
  try {
    if (access === 'write') mkdirSync(dirname(path), { recursive: true });
    return openStore(path, { readOnly: access === 'read' });
  } catch (error) {
    if (error instanceof StoreError) throw new UserInputError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EEXIST' || code === 'ENOTDIR' || code === 'EROFS') {
      throw new UserInputError(`${path}: its folder ${dirname(path)} cannot be made (${code})`);
    }
    throw error;
  }
}

/** For listings: the database read-only, or null when there is none yet (nothing recorded: an empty listing, not an error). */
export function openCliStoreIfPresent(dbPath: string | undefined): Store | null {
  const path = dbPath ?? defaultDatabasePath();
  return existsSync(path) ? openCliStore(path, 'read') : null;
}
