import { isConfigKey, type ConfigKey } from './runConfigKeys';

/** Where the Runs table keeps the hyperparameter columns a user chose, so a reload or restart keeps them. */
export type ColumnStorage = Pick<Storage, 'getItem' | 'setItem'>;

const storageKey = 'curvelab.runs.paramColumns';

/** The page's localStorage, or null where there is none (tests, a sandbox that refuses it). */
export function browserStorage(): ColumnStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The saved columns: config keys in the order chosen; anything unreadable reads as none. */
export function loadParamColumns(storage: ColumnStorage | null): ConfigKey[] {
  try {
    const saved: unknown = JSON.parse(storage?.getItem(storageKey) ?? '[]');
    return Array.isArray(saved) ? [...new Set(saved.filter((k): k is string => typeof k === 'string' && isConfigKey(k)))] : [];
  } catch {
    return [];
  }
}

export function saveParamColumns(storage: ColumnStorage | null, columns: readonly ConfigKey[]): void {
  try {
    storage?.setItem(storageKey, JSON.stringify(columns));
  } catch {
    // A full or refused storage only means the choice is not remembered.
  }
}
