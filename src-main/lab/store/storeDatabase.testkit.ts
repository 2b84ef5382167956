import type Database from 'better-sqlite3';
import type { Store } from './store';
import { StorageError } from './storeErrors';

/** Tests only: the store's own database handle, to look at rows (or break them) behind the store's back. */
export function databaseOf(store: Store): Database.Database {
  return store['db'];
}

/**
 * Tests only: the session row a lab in process `pid` on this machine would have left, last heard of
 * `ageMs` ago (default: just now), as if that process had opened the database and then died; returns
 * its id for runs to name.
 */
export function sessionOfProcess(store: Store, pid: number, ageMs = 0): string {
  const db = databaseOf(store);
  const machine = db.prepare('SELECT machine FROM lab_sessions WHERE id = ?').pluck().get(store['session']!.id) as string;
  const id = `session-of-${pid}-${Math.random().toString(16).slice(2)}`;
  db.prepare('INSERT INTO lab_sessions (id, pid, machine, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)').run(id, pid, machine, new Date().toISOString(), Date.now() - ageMs);
  return id;
}

/**
 * Tests only: the database as on a full disk. SQLite may not grow it past the pages it has
 * (`max_page_count`), and those are filled, so every write that needs a new page fails with SQLITE_FULL.
 */
export function fillDisk(store: Store): void {
  const db = databaseOf(store);
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  const filler = db.prepare('INSERT INTO lab_settings (key, value) VALUES (?, ?)');
  for (let k = 0; ; k++) {
    try {
      filler.run(`disk filler ${k}`, 'x'.repeat(500));
    } catch (error) {
      if (error instanceof StorageError) return;
      throw error;
    }
  }
}

/** Tests only: room on the disk again (after fillDisk). */
export function freeDisk(store: Store): void {
  databaseOf(store).pragma('max_page_count = 1073741823');
}
