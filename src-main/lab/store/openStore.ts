import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { LabSessionOptions } from './labSession';
import { applyMigrations, defaultMigrationsDir, loadMigrations } from './migrations';
import { CannotOpenDatabaseError, DatabaseTooNewError, NotADatabaseError, StorageError, StoreError, storageFailureOf } from './storeErrors';
import { Store } from './store';

export interface OpenStoreOptions {
  /** Where the numbered `NNN_name.sql` files are (default: the repository's `migrations/`). */
  migrationsDir?: string;
  /**
   * Path of the better-sqlite3 addon to load instead of the one `npm install` built. Electron needs its
   * own build (a different ABI from Node's): see src-main/electron/buildSqliteForElectron.mjs.
   */
  nativeBinding?: string;
  /**
   * For commands that only read: the file must exist and nothing is written (no migration, no session,
   * no crash recovery); a database an older CurveLab wrote is refused until it is opened for writing once.
   */
  readOnly?: boolean;
  /** This process's session: its heartbeat and when another's is stale (default 5 s and 30 s). */
  session?: LabSessionOptions;
}

function isNotADatabase(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/** What went wrong opening `path` (for reading only, or not), as a StoreError naming it where it is the user's to fix. */
function openFailure(path: string, err: unknown, readOnly: boolean): unknown {
  if (err instanceof StoreError) return err;
  if (isNotADatabase(err)) return new NotADatabaseError(path, { cause: err });
  const code = err instanceof Database.SqliteError ? err.code : '';
  const failure = storageFailureOf(code);
  if (failure) return new StorageError(path, failure, code, { cause: err });
  if (code === 'SQLITE_CANTOPEN' || (err instanceof TypeError && !existsSync(dirname(path)))) {
    const isFile = existsSync(path) && !statSync(path).isDirectory();
    // WAL keeps two files beside the database, which SQLite makes even to read it.
    if (isFile && readOnly && !writable(dirname(path))) {
      return new CannotOpenDatabaseError(
        `${path} cannot be opened: its folder is read-only, and SQLite needs to make ${basename(path)}-shm beside it even to read it (copy the database to a folder you can write)`,
        path,
      );
    }
    if (isFile && !writable(path)) return new StorageError(path, 'read-only', 'SQLITE_CANTOPEN', { cause: err });
    const why = existsSync(path) && statSync(path).isDirectory()
      ? 'it is a folder: expected an SQLite 3 file (or a path where one can be created)'
      : !existsSync(dirname(path))
        ? `its folder ${dirname(path)} does not exist`
        : existsSync(path)
          ? 'this user may not open it'
          : 'there is no such file';
    return new CannotOpenDatabaseError(`${path} cannot be opened as a CurveLab database: ${why}`, path);
  }
  return err;
}

/** Whether this process may write the file (a folder: make files in it), and for a file make files beside it. */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    if (!statSync(path).isDirectory()) accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens (creating if needed) the lab database: WAL for files, foreign keys on, pending migrations
 * applied in one transaction, this process's session begun, and runs left `running` or `queued` by a
 * session that is dead marked `interrupted`. Throws a StoreError naming the file for one it cannot use:
 * NotADatabaseError, DatabaseTooNewError, CannotOpenDatabaseError (a folder, a missing folder), or
 * StorageError (read-only, a full disk).
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const migrations = loadMigrations(options.migrationsDir ?? defaultMigrationsDir());
  const readOnly = options.readOnly ?? false;
  let db: Database.Database;
  try {
    // better-sqlite3 treats an undefined nativeBinding as "the default addon".
    db = new Database(path, { nativeBinding: options.nativeBinding, readonly: readOnly, fileMustExist: readOnly });
  } catch (err) {
    throw openFailure(path, err, readOnly);
  }
  let store: Store | undefined;
  try {
    if (path !== ':memory:' && path !== '' && !readOnly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (readOnly) refuseOlderSchema(db, path, migrations.length);
    else applyMigrations(db, migrations, path);
    store = new Store(db, path, { readOnly, ...(options.session ? { session: options.session } : {}) });
    store.interruptOrphanedRuns();
    return store;
  } catch (err) {
    try {
      if (store) store.close();
    } catch {
      // The error that stopped the opening is the one to report.
    }
    if (db.open) db.close();
    throw openFailure(path, err, readOnly);
  }
}

/** A read-only store reads with this app's schema: an older database must be migrated (opened for writing) first. */
function refuseOlderSchema(db: Database.Database, path: string, known: number): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > known) throw new DatabaseTooNewError(path, version, known);
  if (version < known) {
    throw new CannotOpenDatabaseError(
      `${path} has schema version ${version}, older than this CurveLab's ${known}: open it once with a command that writes (curvelab serve, train or import) to bring it up to date`,
      path,
    );
  }
}
