import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store';
import { sampleExperiment, rewriteArchive } from './archiveFixtures.testkit';
import { defaultArchiveLimits } from './archiveLimits';
import { checkArchive } from './checkArchive';
import { exportExperiment } from './exportExperiment';

let store: Store;
let archive: Uint8Array;
beforeEach(async () => {
  store = openStore(':memory:');
  archive = (await exportExperiment(store, sampleExperiment(store).experiment.id, { appVersion: '1.2.3' })).bytes;
});
afterEach(() => store.close());

/** Objects and arrays, and values (those plus the separators between items), of parsed JSON, counted on the parsed value. */
function structureOf(value: unknown): { values: number; containers: number } {
  if (typeof value !== 'object' || value === null) return { values: 0, containers: 0 };
  const items = Array.isArray(value) ? value : Object.values(value);
  const inner = items.map(structureOf);
  return {
    values: 1 + Math.max(0, items.length - 1) + inner.reduce((sum, s) => sum + s.values, 0),
    containers: 1 + inner.reduce((sum, s) => sum + s.containers, 0),
  };
}

function refusal(bytes: Uint8Array, limits: Partial<typeof defaultArchiveLimits> = {}): string {
  try {
    checkArchive(store.archive, bytes, { ...defaultArchiveLimits, ...limits });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the archive to be refused');
}

describe('checkArchive: the structure of its JSON, counted before it is parsed', () => {
  it('refuses an entry of [],[],… within every size limit before parsing it, however small the archive', () => {
    // 6 MiB of empty arrays in place of runs.json, listed with its size and checksum: a few KiB zipped.
    const hostile = rewriteArchive(archive, ({ files }) => void (files['runs.json'] = strToU8(`[${'[],'.repeat(2 * 2 ** 20)}[]]`)));
    expect(hostile.length).toBeLessThan(100_000);
    const started = performance.now();
    expect(refusal(hostile, { maxJsonContainers: 1_000_000 })).toBe(
      "archive entry runs.json: with the entries before it, the archive's JSON holds more than 1,000,000 objects and arrays, more than an archive may",
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('counts every JSON entry of the archive together: at exactly its count it passes, one less and the last entry read is refused', () => {
    const files = unzipSync(archive);
    const counted = Object.entries(files)
      .filter(([name]) => name.endsWith('.json'))
      .map(([, content]) => structureOf(JSON.parse(new TextDecoder().decode(content))))
      .reduce((sum, s) => ({ values: sum.values + s.values, containers: sum.containers + s.containers }), { values: 0, containers: 0 });
    const limits = { maxJsonValues: counted.values, maxJsonContainers: counted.containers };
    expect(() => checkArchive(store.archive, archive, { ...defaultArchiveLimits, ...limits })).not.toThrow();
    expect(refusal(archive, { ...limits, maxJsonContainers: counted.containers - 1 })).toMatch(
      new RegExp(`^archive entry metrics/.*: with the entries before it, the archive's JSON holds more than ${(counted.containers - 1).toLocaleString('en-US')} objects and arrays`),
    );
    expect(refusal(archive, { ...limits, maxJsonValues: counted.values - 1 })).toMatch(/^archive entry metrics\/.*: with the entries before it, the archive's JSON holds more than [\d,]+ values/);
  });

  it('refuses JSON nested deeper than 128 levels, naming the entry', () => {
    const deep = rewriteArchive(archive, ({ files }) => void (files['runs.json'] = strToU8(`${'['.repeat(129)}${']'.repeat(129)}`)));
    expect(refusal(deep)).toBe('archive entry runs.json: nests objects and arrays more than 128 deep');
    // The manifest is bounded too.
    expect(refusal(zipSync({ 'manifest.json': strToU8(`${'['.repeat(200)}${']'.repeat(200)}`) }))).toBe('archive entry manifest.json: nests objects and arrays more than 128 deep');
  });
});
