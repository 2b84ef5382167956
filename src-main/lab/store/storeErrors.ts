/** Errors a user can cause by pointing the lab at the wrong database file. Each names the file. */
export class StoreError extends Error {
  constructor(
    message: string,
    /** The database file (or `:memory:`). */
    readonly file: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The file exists but is not an SQLite database. */
export class NotADatabaseError extends StoreError {
  constructor(file: string, options?: { cause?: unknown }) {
    super(`${file} is not a CurveLab database: expected an SQLite 3 file (or a path where one can be created)`, file);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The database was written by a newer CurveLab: its schema version is past the newest migration this app has. */
export class DatabaseTooNewError extends StoreError {
  constructor(
    file: string,
    readonly version: number,
    readonly knownVersion: number,
  ) {
    super(
      `${file} has schema version ${version}, but this CurveLab knows versions up to ${knownVersion}: open it with a newer CurveLab`,
      file,
    );
  }
}

/** The migrations folder is malformed (a gap or duplicate in the numbering, a badly named file) or one failed to apply. */
export class MigrationError extends StoreError {}

/** The database refused a row (a constraint failed): the transaction that wrote it was rolled back. */
export class RowRefusedError extends StoreError {
  constructor(
    file: string,
    /** SQLite's own words. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: the database refused a row: ${reason}`, file);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** What went wrong beneath SQLite: the disk is full, the file cannot be written, or the disk failed. */
export type StorageFailure = 'disk-full' | 'read-only' | 'io';

const storageWords: Record<StorageFailure, string> = {
  'disk-full': 'the disk is full: nothing more can be written until space is freed',
  'read-only': 'the database cannot be written (the file or its folder is read-only, or it was opened for reading only)',
  io: 'the disk failed to read or write it',
};

/**
 * Reading or writing the database failed beneath SQLite (SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR…):
 * what was being written was not stored. Runs being recorded cannot go on (the lab stops them with
 * this message as their reason).
 */
export class StorageError extends StoreError {
  constructor(
    file: string,
    readonly failure: StorageFailure,
    /** SQLite's extended result code, as better-sqlite3 names it (`SQLITE_IOERR_WRITE`). */
    readonly sqliteCode: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${storageWords[failure]} (${sqliteCode})`, file);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The StorageFailure an SQLite result code means, or null for any other error (a constraint, a bug). */
export function storageFailureOf(sqliteCode: string): StorageFailure | null {
  if (sqliteCode === 'SQLITE_FULL') return 'disk-full';
  if (sqliteCode === 'SQLITE_READONLY' || sqliteCode.startsWith('SQLITE_READONLY_')) return 'read-only';
  if (sqliteCode === 'SQLITE_IOERR' || sqliteCode.startsWith('SQLITE_IOERR_')) return 'io';
  return null;
}

/** The path cannot be opened as a database at all: a folder, a folder that does not exist, a file this user may not open. */
export class CannotOpenDatabaseError extends StoreError {}
