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
