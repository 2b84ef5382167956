import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DatabaseTooNewError, MigrationError, storageFailureOf } from './storeErrors';

/** One schema step: `migrations/NNN_name.sql`, applied when `PRAGMA user_version` is below `version`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const migrationFile = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/**
 * The repository's `migrations/` folder, found by walking up from this module (so it works from
 * `src-main/lab/store` under tsx/vitest and from a bundled `out/main`).
 */
export function defaultMigrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(candidate, '001_initial.sql'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no migrations/001_initial.sql found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The migrations in `dir`, in order; numbered 001, 002, … without gaps. Other files are ignored. */
export function loadMigrations(dir: string): Migration[] {
  const migrations: Migration[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith('.sql')) continue;
    const match = migrationFile.exec(entry);
    if (!match) throw new MigrationError(`migration ${entry} in ${dir}: expected a name like 002_add_things.sql`, dir);
    const path = join(dir, entry);
    if (!statSync(path).isFile()) continue;
    migrations.push({ version: Number(match[1]), name: entry, sql: readFileSync(path, 'utf8') });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`migration ${m.name} in ${dir}: expected number ${String(i + 1).padStart(3, '0')} (no gaps or duplicates)`, dir);
    }
  });
  return migrations;
}

/**
 * Applies the migrations past the database's `user_version`, all in one transaction together with
 * the new `user_version`, so a failure leaves the database as it was. Returns the versions applied.
 *
 * Foreign keys are off while they run (a migration may rebuild a table others refer to, and SQLite
 * ignores `PRAGMA foreign_keys` inside a transaction), then checked before the transaction commits and
 * turned back on as they were.
 */
export function applyMigrations(db: Database.Database, migrations: Migration[], file: string): number[] {
  const known = migrations.length;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) throw new DatabaseTooNewError(file, current, known);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) {
        try {
          db.exec(m.sql);
        } catch (err) {
          // A full disk or a read-only file is not the migration's fault: openStore names it.
          if (err instanceof Database.SqliteError && storageFailureOf(err.code)) throw err;
          throw new MigrationError(`${file}: migration ${m.name} failed: ${(err as Error).message}`, file);
        }
      }
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length > 0) {
        const first = broken[0]!;
        throw new MigrationError(`${file}: after the migrations ${broken.length} rows refer to rows that do not exist (first: ${first.table} → ${first.parent})`, file);
      }
      db.pragma(`user_version = ${known}`);
    })();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys}`);
  }
  return pending.map((m) => m.version);
}
