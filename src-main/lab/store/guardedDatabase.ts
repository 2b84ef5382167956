import Database from 'better-sqlite3';
import { StorageError, storageFailureOf } from './storeErrors';

type Guarded = <A extends unknown[], R>(call: (...args: A) => R) => (...args: A) => R;

/**
 * The store's connection as its modules use it: the same API, but every statement, transaction, exec
 * and pragma that fails beneath SQLite (a full disk, a read-only file, an I/O error) throws a
 * StorageError naming the file, and `onFailure` hears of each, so no module has to check for it.
 *
 * A writing statement's `.get()` steps to its end: better-sqlite3's `.get()` stops after the first row
 * and ignores the error of the commit that follows, so on a full disk `INSERT … RETURNING` handed back a
 * row that was never stored.
 */
export function guardDatabase(db: Database.Database, file: string, onFailure: (error: StorageError) => void): Database.Database {
  const guarded: Guarded = (call) => (...args) => {
    try {
      return call(...args);
    } catch (error) {
      throw translated(error);
    }
  };
  const translated = (error: unknown): unknown => {
    if (!(error instanceof Database.SqliteError)) return error;
    const failure = storageFailureOf(error.code);
    if (failure === null) return error;
    const storage = new StorageError(file, failure, error.code, { cause: error });
    onFailure(storage);
    return storage;
  };
  const proxy: Database.Database = new Proxy(db, {
    get(target, property) {
      switch (property) {
        case 'prepare':
          return guarded((sql: string) => guardStatement(target.prepare(sql), guarded));
        case 'transaction':
          return (fn: (...args: unknown[]) => unknown) => {
            const transaction = target.transaction(fn);
            return Object.assign(guarded(transaction), {
              default: guarded(transaction.default),
              deferred: guarded(transaction.deferred),
              immediate: guarded(transaction.immediate),
              exclusive: guarded(transaction.exclusive),
            });
          };
        case 'exec':
          return guarded((sql: string) => (target.exec(sql), proxy));
        case 'pragma':
          return guarded((source: string, options?: Database.PragmaOptions) => target.pragma(source, options));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return proxy;
}

/** A statement whose calls go through `guarded`; its chaining methods (pluck, raw, bind…) hand back the guarded statement. */
function guardStatement(statement: Database.Statement, guarded: Guarded): Database.Statement {
  const methods = new Map<PropertyKey, unknown>();
  const proxy: Database.Statement = new Proxy(statement, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = methods.get(property);
      if (method === undefined) {
        const call = value as (...args: unknown[]) => unknown;
        method =
          property === 'get' && !target.readonly
            ? guarded((...args: unknown[]) => target.all(...args)[0])
            : guarded((...args: unknown[]) => {
                const result = call.apply(target, args);
                return result === target ? proxy : result;
              });
        methods.set(property, method);
      }
      return method;
    },
  });
  return proxy;
}
