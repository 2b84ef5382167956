/**
 * The entries of an experiment archive, and which names are safe to find in one. Import never writes
 * entries to disk, but a name that could escape a folder on extraction (by another tool) marks an archive
 * that CurveLab did not write, so it is refused outright. Export builds names from ids only (a uid, a
 * run's position), never from values a user or an imported archive chose (a seed, an optimizer name).
 */

export const manifestEntry = 'manifest.json';
export const experimentEntry = 'experiment.json';
export const runsEntry = 'runs.json';

/** The per-step and per-epoch tables whose rows travel, one file per run and table. */
export const metricTables = ['step_metrics', 'epoch_metrics', 'trace_values'] as const;
export type MetricTable = (typeof metricTables)[number];

/** Experiment and run uids as they appear in entry names: what randomUUID gives, with room for other generators. */
export const uidPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export function metricsEntry(runUid: string, table: MetricTable): string {
  // Every uid in a database was made here or passed uidPattern on import; anything else is a bug.
  if (!uidPattern.test(runUid)) throw new Error(`metricsEntry: ${JSON.stringify(runUid)} is not a run uid`);
  return `metrics/${runUid}/${table}.json`;
}

/** The CSV folder of the n-th run (1-based, in the experiment's order; csv/runs.csv says which run it is). */
export function runCsvFolder(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`runCsvFolder: ${n} is not a run's position`);
  return `run-${n}`;
}

export function runCsvEntry(n: number, table: 'steps' | 'epochs'): string {
  return `csv/${runCsvFolder(n)}/${table}.csv`;
}

export type EntryKind =
  | { kind: 'manifest' }
  | { kind: 'experiment' }
  | { kind: 'runs' }
  | { kind: 'metrics'; runUid: string; table: MetricTable }
  /** For use outside CurveLab: checked against the manifest, not imported. */
  | { kind: 'csv' };

const metricsPattern = /^metrics\/([^/]+)\/([a-z_]+)\.json$/;
const csvPattern = /^csv\/(?:[A-Za-z0-9._-]+\/)?[A-Za-z0-9._-]+\.csv$/;

/** What an entry name is in the archive format, or undefined when the format has no such entry. */
export function classifyEntry(name: string): EntryKind | undefined {
  if (name === manifestEntry) return { kind: 'manifest' };
  if (name === experimentEntry) return { kind: 'experiment' };
  if (name === runsEntry) return { kind: 'runs' };
  const metrics = metricsPattern.exec(name);
  if (metrics) {
    const [, runUid, table] = metrics;
    if (uidPattern.test(runUid!) && (metricTables as readonly string[]).includes(table!)) {
      return { kind: 'metrics', runUid: runUid!, table: table as MetricTable };
    }
    return undefined;
  }
  if (csvPattern.test(name)) return { kind: 'csv' };
  return undefined;
}

/**
 * Why an entry name is unsafe (a path that escapes the archive's folder), or undefined when it is a plain
 * relative path of ordinary characters.
 */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0) return 'an empty name';
  if (name.length > 255) return 'a name longer than 255 characters';
  if (name.includes('\\')) return 'a backslash in the name (entry names use forward slashes)';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'a drive letter';
  // Control characters (NUL included) can truncate or disguise a name on extraction.
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a control character in the name';
  const segments = name.split('/');
  if (segments.includes('..')) return "a '..' segment that leaves the archive's folder";
  if (segments.some((s) => s === '' || s === '.')) return "an empty or '.' path segment";
  if (!segments.every((s) => /^[A-Za-z0-9._ -]+$/.test(s))) return 'characters other than letters, digits, space, dot, dash and underscore';
  return undefined;
}
