import Database from 'better-sqlite3';
import { applyMigrations, defaultMigrationsDir, loadMigrations } from './migrations';
import { NotADatabaseError, StoreError } from './storeErrors';
import { Store } from './store';

export interface OpenStoreOptions {
  /** Where the numbered `NNN_name.sql` files are (default: the repository's `migrations/`). */
  migrationsDir?: string;
  /** Liveness check for `running` runs' processes (default: signal 0). */
  processAlive?: (pid: number) => boolean;
  /**
   * Path of the better-sqlite3 addon to load instead of the one `npm install` built. Electron needs its
   * own build (a different ABI from Node's): see src-main/electron/buildSqliteForElectron.mjs.
   */
  nativeBinding?: string;
}

function isNotADatabase(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/**
 * Opens (creating if needed) the lab database: WAL for files, foreign keys on, pending migrations
 * applied in one transaction, and runs left `running` by a process that is gone marked `interrupted`.
 * Throws NotADatabaseError / DatabaseTooNewError (naming the file) for a file it cannot use.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const migrations = loadMigrations(options.migrationsDir ?? defaultMigrationsDir());
  let db: Database.Database;
  try {
    // better-sqlite3 treats an undefined nativeBinding as "the default addon".
    db = new Database(path, { nativeBinding: options.nativeBinding });
  } catch (err) {
    throw isNotADatabase(err) ? new NotADatabaseError(path, { cause: err }) : err;
  }
  try {
    if (path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    applyMigrations(db, migrations, path);
    const store = new Store(db, path);
    store.interruptOrphanedRuns(options.processAlive);
    return store;
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    if (isNotADatabase(err)) throw new NotADatabaseError(path, { cause: err });
    throw err;
  }
}
