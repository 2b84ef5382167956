import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronSqliteBindingPath, parseBuildRecord, sqliteRebuildReason } from './electronSqliteBinding.mjs';

const record = { electron: '39.8.10', betterSqlite3: '12.11.1', arch: 'x64' };
const current = {
  bindingMtimeMs: 2_000,
  packageMtimeMs: 1_000,
  record,
  electronVersion: '39.8.10',
  betterSqlite3Version: '12.11.1',
  arch: 'x64',
};

describe('sqliteRebuildReason', () => {
  it('is null (skip the build) when the addon exists, matches the record and is newer than the package', () => {
    expect(sqliteRebuildReason(current)).toBeNull();
  });

  it('asks for a build when there is no addon or no readable record', () => {
    expect(sqliteRebuildReason({ ...current, bindingMtimeMs: null })).toBe('there is no Electron build of better-sqlite3 yet');
    expect(sqliteRebuildReason({ ...current, record: null })).toBe('the Electron build of better-sqlite3 has no readable build record');
  });

  it('asks for a rebuild when Electron, better-sqlite3 or the CPU changed', () => {
    expect(sqliteRebuildReason({ ...current, electronVersion: '40.0.0' })).toBe(
      'better-sqlite3 was built for Electron 39.8.10; Electron 40.0.0 is installed',
    );
    expect(sqliteRebuildReason({ ...current, betterSqlite3Version: '12.12.0' })).toBe(
      'the Electron build is of better-sqlite3 12.11.1; 12.12.0 is installed',
    );
    expect(sqliteRebuildReason({ ...current, arch: 'arm64' })).toBe('the Electron build is for x64, not arm64');
  });

  it('asks for a rebuild when the package is as new as the addon or newer (npm reinstalled it)', () => {
    expect(sqliteRebuildReason({ ...current, packageMtimeMs: 2_000 })).toBe('better-sqlite3 was reinstalled after the Electron build');
    expect(sqliteRebuildReason({ ...current, packageMtimeMs: 3_000 })).toBe('better-sqlite3 was reinstalled after the Electron build');
  });
});

describe('parseBuildRecord', () => {
  it('reads a record written by the build script', () => {
    expect(parseBuildRecord('{"electron":"39.8.10","betterSqlite3":"12.11.1","arch":"x64"}')).toEqual(record);
  });

  it('reads anything else as no record', () => {
    expect(parseBuildRecord(null)).toBeNull();
    expect(parseBuildRecord('{"electron":"39.8.10","betterSqlite3":"12.11.1"')).toBeNull();
    expect(parseBuildRecord('{"electron":39,"betterSqlite3":"12.11.1","arch":"x64"}')).toBeNull();
    expect(parseBuildRecord('null')).toBeNull();
    expect(parseBuildRecord('[]')).toBeNull();
  });
});

describe('electronSqliteBindingPath', () => {
  it('is node_modules/.curvelab-electron/better_sqlite3.node under the project', () => {
    expect(electronSqliteBindingPath('/opt/curvelab')).toBe(join('/opt/curvelab', 'node_modules', '.curvelab-electron', 'better_sqlite3.node'));
  });
});
