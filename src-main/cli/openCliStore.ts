import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultDatabasePath } from '../lab/defaultDatabasePath';
import { openStore, StoreError, type Store } from '../lab/store';
import { UserInputError } from '../engine/errors';

/** Opens `--db` (or the default database), creating its folder; a file the store cannot use is the user's error. */
export function openCliStore(dbPath: string | undefined): Store {
  const path = dbPath ?? defaultDatabasePath();
  try {
    mkdirSync(dirname(path), { recursive: true });
    return openStore(path);
  } catch (error) {
    if (error instanceof StoreError) throw new UserInputError(error.message);
    throw error;
  }
}
