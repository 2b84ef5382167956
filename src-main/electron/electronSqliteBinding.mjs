// Where the Electron build of better-sqlite3's addon lives, and whether it must be (re)built. Pure
// (path joins and comparisons only): shared by buildSqliteForElectron.mjs and the Electron main process.
import { join } from 'node:path';

/** The folder beside the Node build that holds the Electron build and its build record. */
export function electronSqliteDir(projectRoot) {
  return join(projectRoot, 'node_modules', '.curvelab-electron');
}

/** The addon main.ts passes to better-sqlite3 as `nativeBinding`. */
export function electronSqliteBindingPath(projectRoot) {
  return join(electronSqliteDir(projectRoot), 'better_sqlite3.node');
}

/** The record of what the addon was built for (Electron and better-sqlite3 versions, CPU architecture). */
export function electronSqliteRecordPath(projectRoot) {
  return join(electronSqliteDir(projectRoot), 'build-info.json');
}

/** Parses a build record; anything that is not one (missing, truncated, hand-edited) reads as null. */
export function parseBuildRecord(text) {
  if (text === null) return null;
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const fields = ['electron', 'betterSqlite3', 'arch'];
  if (typeof value !== 'object' || value === null || !fields.every((f) => typeof value[f] === 'string')) return null;
  return { electron: value.electron, betterSqlite3: value.betterSqlite3, arch: value.arch };
}

/**
 * Why the Electron build must be (re)built, in words for the log, or null when the one there is current:
 * it exists, was built for this Electron, this better-sqlite3 and this CPU, and is newer than the
 * installed package (an `npm install` that rewrote better-sqlite3 makes it stale).
 */
export function sqliteRebuildReason({ bindingMtimeMs, packageMtimeMs, record, electronVersion, betterSqlite3Version, arch }) {
  if (bindingMtimeMs === null) return 'there is no Electron build of better-sqlite3 yet';
  if (record === null) return 'the Electron build of better-sqlite3 has no readable build record';
  if (record.electron !== electronVersion) return `better-sqlite3 was built for Electron ${record.electron}; Electron ${electronVersion} is installed`;
  if (record.betterSqlite3 !== betterSqlite3Version)
    return `the Electron build is of better-sqlite3 ${record.betterSqlite3}; ${betterSqlite3Version} is installed`;
  if (record.arch !== arch) return `the Electron build is for ${record.arch}, not ${arch}`;
  if (bindingMtimeMs <= packageMtimeMs) return 'better-sqlite3 was reinstalled after the Electron build';
  return null;
}
