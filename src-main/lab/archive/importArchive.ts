import { randomUUID } from 'node:crypto';
import type { ImportResult } from '../api/labApi';
import { LabError } from '../api/labErrors';
import { runSpecLimits } from '../../shared/runSpecLimits';
import { RowRefusedError, type ArchiveRows, type SqlValue, type Store } from '../store';
import { archiveDifference, type ArchiveContent } from './archiveDifference';
import { ArchiveError } from './archiveError';
import { parseJsonEntry, readListedEntry } from './archiveEntryText';
import { resolveArchiveLimits, type ArchiveLimits } from './archiveLimits';
import { checkArchive, type CheckedArchive, type CheckedMetrics } from './checkArchive';
import { decodeValue, type ArchiveValue } from './archiveValues';
import { experimentEntry, runsEntry } from './entryNames';

export interface ImportOptions {
  /** Caps on sizes and entry counts (defaults: defaultArchiveLimits). */
  limits?: Partial<ArchiveLimits>;
  /**
   * Import the archive beside what is here: a new experiment named "<name> (copy)" with new uids for it
   * and every run. For an archive whose experiment is already here with other content (a later export).
   */
  asCopy?: boolean;
}

/**
 * Imports an experiment archive. Everything is checked first (checkArchive), then all rows are written
 * by importCheckedArchive. Throws ArchiveError for a bad archive, or one whose runs are already here
 * under another experiment; LabError `conflict` for a later export of an experiment already here.
 */
export function importArchive(store: Store, bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  return importCheckedArchive(store, bytes, checkArchive(store.archive, bytes, resolveArchiveLimits(options.limits)), options);
}

/**
 * The write pass of an import, for an archive that passed checkArchive (here or in a worker, see
 * checkArchiveInWorker): all rows in one transaction with new local ids (uids kept, unless `asCopy`),
 * so a refused archive leaves the database as it was. An archive whose experiment is already here
 * writes nothing: when everything it holds is here as it holds it, the result says `alreadyPresent`;
 * when it differs (a later export of the same experiment), a LabError `conflict` says what differs and
 * that `asCopy` keeps both. Runs that were queued or running when exported are stored as interrupted,
 * since nothing trains them here. `bytes` are the ones checked: metric rows are read from them again.
 */
export function importCheckedArchive(store: Store, bytes: Uint8Array, archive: CheckedArchive, options: Pick<ImportOptions, 'asCopy'> = {}): ImportResult {
  const rows = store.archive;
  let current = 'the archive';
  let written: { experimentId: number; alreadyPresent: boolean };
  try {
    // One IMMEDIATE transaction: the presence checks and the inserts see one state, even with another process writing.
    written = rows.writeAll(() => writeArchive(rows, bytes, archive, options.asCopy === true, (entry) => (current = entry)));
  } catch (error) {
    // The checks follow the schema, but a constraint they do not know (a future CHECK) still rolls back cleanly.
    if (error instanceof RowRefusedError) throw new ArchiveError(current, `the database refused a row: ${error.reason}`);
    throw error;
  }
  const experiment = store.getExperiment(written.experimentId)!;
  return { experiment, runCount: experiment.runCount, alreadyPresent: written.alreadyPresent };
}

function writeArchive(
  rows: ArchiveRows,
  bytes: Uint8Array,
  archive: CheckedArchive,
  asCopy: boolean,
  writing: (entry: string) => void,
): { experimentId: number; alreadyPresent: boolean } {
  const content: ArchiveContent = {
    archive,
    runs: archive.runs.map((run) => interruptIfUnfinished(run, archive.manifest.createdAt)),
    // Inflated again rather than kept from the checks: one entry in memory at a time. The bytes are the
    // ones just checked, and the checksum is verified again.
    metricRows: (metrics) => archivedMetricRows(bytes, metrics),
  };
  if (!asCopy) {
    const existing = rows.experimentIdByUid(archive.experiment.uid as string);
    if (existing !== undefined) return { experimentId: alreadyHere(rows, existing, content), alreadyPresent: true };
    for (const run of archive.runs) {
      const other = rows.experimentOfRun(run.uid as string);
      if (other) {
        throw new ArchiveError(
          runsEntry,
          `run ${String(run.uid)} is already in this database, in experiment ${other.id} (${JSON.stringify(other.name)}); ` +
            'a run can only be imported together with its own experiment',
        );
      }
    }
  }

  writing(experimentEntry);
  const experiment = asCopy ? { ...archive.experiment, uid: randomUUID(), name: copyName(archive.experiment.name as string) } : archive.experiment;
  const experimentId = rows.insert('experiments', experiment).id as number;

  writing(runsEntry);
  // Keyed by the archive's run uids, which its metrics entries name.
  const runIds = new Map<string, number>();
  for (const run of content.runs) {
    const { id } = rows.insert('runs', { ...run, ...(asCopy ? { uid: randomUUID() } : {}), experiment_id: experimentId });
    runIds.set(run.uid as string, id as number);
  }

  for (const metrics of archive.metrics) {
    writing(metrics.entry.name);
    rows.insertMetricRows(metrics.table, runIds.get(metrics.runUid)!, metrics.insertColumns.map((c) => c.name), content.metricRows(metrics));
  }
  return { experimentId, alreadyPresent: false };
}

/** The id of the experiment already here, when it holds all the archive does; else the conflict that says how they differ. */
function alreadyHere(rows: ArchiveRows, experimentId: number, content: ArchiveContent): number {
  const difference = archiveDifference(rows, experimentId, content);
  if (difference === null) return experimentId;
  const { uid, name } = content.archive.experiment;
  throw new LabError(
    'conflict',
    `the archive's experiment ${JSON.stringify(name)} (uid ${String(uid)}) is already in this database as experiment ${experimentId}, ` +
      `but the archive differs from it (${difference}); nothing was written. To keep both, import the archive as a copy ` +
      '(asCopy; curvelab import --as-copy)',
  );
}

/** A metrics entry's rows as SQLite stores them, in the order of its insert columns. */
function archivedMetricRows(bytes: Uint8Array, metrics: CheckedMetrics): SqlValue[][] {
  const { rows: values } = parseJsonEntry(metrics.entry.name, readListedEntry(bytes, metrics.entry, metrics.listed)) as { rows: ArchiveValue[][] };
  return values.map((row) => metrics.positions.map((k, i) => decodeValue(row[k]!, metrics.insertColumns[i]!)));
}

/** "<name> (copy)", within the longest name an experiment may have. */
function copyName(name: string): string {
  const suffix = ' (copy)';
  return `${name.slice(0, runSpecLimits.maxExperimentName - suffix.length)}${suffix}`;
}

/** A run exported while queued or running is stored as interrupted: nothing here will train it. */
function interruptIfUnfinished(run: Record<string, SqlValue>, exportedAt: string): Record<string, SqlValue> {
  if (run.status !== 'queued' && run.status !== 'running') return run;
  return {
    ...run,
    status: 'interrupted',
    ...('error' in run ? { error: run.error ?? `it was ${run.status} when its experiment was exported: nothing trains it here` } : {}),
    ...('ended_at' in run ? { ended_at: run.ended_at ?? exportedAt } : {}),
  };
}
