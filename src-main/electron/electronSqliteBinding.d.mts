/** Types for electronSqliteBinding.mjs (plain JS so that the build script runs without a compile step). */

export interface ElectronSqliteBuildRecord {
  electron: string;
  betterSqlite3: string;
  arch: string;
}

export function electronSqliteDir(projectRoot: string): string;
export function electronSqliteBindingPath(projectRoot: string): string;
export function electronSqliteRecordPath(projectRoot: string): string;
export function parseBuildRecord(text: string | null): ElectronSqliteBuildRecord | null;
export function sqliteRebuildReason(state: {
  /** The addon's modification time, null when it does not exist. */
  bindingMtimeMs: number | null;
  /** better-sqlite3's package.json modification time (when npm last wrote the package). */
  packageMtimeMs: number;
  record: ElectronSqliteBuildRecord | null;
  electronVersion: string;
  betterSqlite3Version: string;
  arch: string;
}): string | null;
