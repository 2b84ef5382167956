import { describe, expect, test } from 'vitest';
import { loadParamColumns, saveParamColumns, type ColumnStorage } from './savedColumns';

function memoryStorage(initial: Record<string, string> = {}): ColumnStorage & { items: Record<string, string> } {
  const items = { ...initial };
  return { items, getItem: (k) => items[k] ?? null, setItem: (k, v) => void (items[k] = v) };
}

describe('saved Runs columns', () => {
  test('what is saved loads back, in the order chosen', () => {
    const storage = memoryStorage();
    saveParamColumns(storage, ['opt.lr', 'arch.widths', 'batchSize']);
    expect(loadParamColumns(storage)).toEqual(['opt.lr', 'arch.widths', 'batchSize']);
  });

  test('no storage, nothing saved, or something unreadable loads as no columns; bad keys and repeats are dropped', () => {
    expect(loadParamColumns(null)).toEqual([]);
    expect(loadParamColumns(memoryStorage())).toEqual([]);
    expect(loadParamColumns(memoryStorage({ 'curvelab.runs.paramColumns': '{not json' }))).toEqual([]);
    expect(loadParamColumns(memoryStorage({ 'curvelab.runs.paramColumns': '{"a":1}' }))).toEqual([]);
    expect(loadParamColumns(memoryStorage({ 'curvelab.runs.paramColumns': '["opt.lr", 3, "opt.", "nonsense", "opt.lr", "seed"]' }))).toEqual(['opt.lr', 'seed']);
  });

  test('a storage that refuses writes (full, or a sandbox) only means nothing is remembered', () => {
    const refusing: ColumnStorage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveParamColumns(refusing, ['opt.lr'])).not.toThrow();
  });
});
