import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore';

const require = createRequire(import.meta.url);
/** The addon `npm install` built for this Node. */
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'curvelab-binding-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore nativeBinding', () => {
  it('loads better-sqlite3 from the addon at the given path', () => {
    // A copy under another name: the only way it gets loaded is through the option.
    const addon = join(dir, 'other_copy.node');
    copyFileSync(nodeBuild, addon);
    const store = openStore(join(dir, 'lab.db'), { nativeBinding: addon });
    try {
      expect(require.cache[addon]).toBeDefined();
      expect(store.createExperiment({ name: 'via the copy' }).name).toBe('via the copy');
    } finally {
      store.close();
    }
  });

  it('fails naming the missing addon, before creating the database file', () => {
    const missing = join(dir, 'no_such_build.node');
    const database = join(dir, 'lab.db');
    expect(() => openStore(database, { nativeBinding: missing })).toThrow(missing);
    expect(existsSync(database)).toBe(false);
  });
});
