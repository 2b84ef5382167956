import { describe, expect, it } from 'vitest';
import { classifyEntry, metricsEntry, runCsvEntry, runCsvFolder, unsafeEntryName } from './entryNames';

describe('unsafeEntryName', () => {
  it.each([
    ['../evil.json', /'\.\.' segment/],
    ['csv/../../x.csv', /'\.\.' segment/],
    ['/etc/x', /absolute path/],
    ['csv\\x.csv', /backslash/],
    ['C:/x.csv', /drive letter/],
    ['c:x', /drive letter/],
    ['a\u0000b', /control character/],
    ['csv//x.csv', /empty or '\.' path segment/],
    ['./x.json', /empty or '\.' path segment/],
    ['csv/', /empty or '\.' path segment/],
    ['', /empty name/],
    ['x'.repeat(256), /longer than 255/],
    ['résumé.csv', /characters other than/],
  ])('refuses %j', (name, reason) => {
    expect(unsafeEntryName(name)).toMatch(reason);
  });

  it.each(['manifest.json', 'metrics/0b6e-41/step_metrics.json', 'csv/run-1-sgd-seed0/steps.csv', 'a b.csv', 'x..y.json'])('accepts %j', (name) => {
    expect(unsafeEntryName(name)).toBeUndefined();
  });
});

describe('the names export writes', () => {
  it('come from ids only: a run uid, a run position', () => {
    expect(metricsEntry('0b6e-41_x', 'step_metrics')).toBe('metrics/0b6e-41_x/step_metrics.json');
    expect(runCsvFolder(12)).toBe('run-12');
    expect(runCsvEntry(3, 'epochs')).toBe('csv/run-3/epochs.csv');
    expect(classifyEntry(runCsvEntry(3, 'steps'))).toEqual({ kind: 'csv' });
  });

  it('refuse anything else, so that CurveLab never writes an archive it would refuse', () => {
    for (const uid of ['../x', 'a/b', '', '-x', 'x'.repeat(101)]) expect(() => metricsEntry(uid, 'trace_values'), uid).toThrow(/not a run uid/);
    for (const n of [0, -1, 1.5, Number.NaN]) expect(() => runCsvFolder(n), String(n)).toThrow(/not a run's position/);
  });
});

describe('classifyEntry', () => {
  it('knows the entries of the format and nothing else', () => {
    expect(classifyEntry('manifest.json')).toEqual({ kind: 'manifest' });
    expect(classifyEntry('experiment.json')).toEqual({ kind: 'experiment' });
    expect(classifyEntry('runs.json')).toEqual({ kind: 'runs' });
    expect(classifyEntry(metricsEntry('abc-1', 'trace_values'))).toEqual({ kind: 'metrics', runUid: 'abc-1', table: 'trace_values' });
    expect(classifyEntry('csv/runs.csv')).toEqual({ kind: 'csv' });
    expect(classifyEntry('csv/run-2-adam-seed3/epochs.csv')).toEqual({ kind: 'csv' });
    for (const other of ['metrics/abc/datasets.json', 'metrics/abc/def/step_metrics.json', 'metrics/-x/step_metrics.json', 'csv/a/b/c.csv', 'csv/x.txt', 'readme.md', 'runs.json.bak']) {
      expect(classifyEntry(other), other).toBeUndefined();
    }
  });
});
