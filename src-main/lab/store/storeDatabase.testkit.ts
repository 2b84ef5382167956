import type Database from 'better-sqlite3';
import type { Store } from './store';

/** Tests only: the store's own database handle, to look at rows (or break them) behind the store's back. */
export function databaseOf(store: Store): Database.Database {
  return store['db'];
}
