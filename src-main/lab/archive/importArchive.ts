import type { ImportResult } from '../api/labApi';
import { RowRefusedError, type ArchiveRows, type SqlValue, type Store } from '../store';
import { ArchiveError } from './archiveError';
import { parseJsonEntry, readListedEntry } from './archiveEntryText';
import { resolveArchiveLimits, type ArchiveLimits } from './archiveLimits';
import { checkArchive, type CheckedArchive } from './checkArchive';
import { decodeValue, type ArchiveValue } from './archiveValues';
import { experimentEntry, runsEntry } from './entryNames';

export interface ImportOptions {
  /** Caps on sizes and entry counts (defaults: defaultArchiveLimits). */
  limits?: Partial<ArchiveLimits>;
}

/**
 * Imports an experiment archive. Everything is checked first (checkArchive), then all rows are written
 * in one transaction with new local ids (uids kept), so a bad archive leaves the database as it was.
 * An archive whose experiment is already here writes nothing and reports `alreadyPresent`; runs that
 * were queued or running when exported are stored as interrupted, since nothing trains them here.
 * Throws ArchiveError for a bad archive, or one whose runs are already here under another experiment.
 */
export function importArchive(store: Store, bytes: Uint8Array, options: ImportOptions = {}): ImportResult {
  const rows = store.archive;
  const archive = checkArchive(rows, bytes, resolveArchiveLimits(options.limits));
  let current = 'the archive';
  let written: { experimentId: number; alreadyPresent: boolean };
  try {
    // One IMMEDIATE transaction: the presence checks and the inserts see one state, even with another process writing.
    written = rows.writeAll(() => writeArchive(rows, bytes, archive, (entry) => (current = entry)));
  } catch (error) {
    // The checks above follow the schema, but a constraint they do not know (a future CHECK) still rolls back cleanly.
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
  writing: (entry: string) => void,
): { experimentId: number; alreadyPresent: boolean } {
  const uid = archive.experiment.uid as string;
  const existing = rows.experimentIdByUid(uid);
  if (existing !== undefined) return { experimentId: existing, alreadyPresent: true };

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

  writing(experimentEntry);
  const experimentId = rows.insert('experiments', archive.experiment).id as number;

  writing(runsEntry);
  const runIds = new Map<string, number>();
  for (const run of archive.runs) {
    const { id } = rows.insert('runs', { ...interruptIfUnfinished(run, archive.manifest.createdAt), experiment_id: experimentId });
    runIds.set(run.uid as string, id as number);
  }

  for (const metrics of archive.metrics) {
    writing(metrics.entry.name);
    // Inflated again rather than kept from the checks: one entry in memory at a time. The bytes are the
    // ones just checked, and the checksum is verified again.
    const { rows: values } = parseJsonEntry(metrics.entry.name, readListedEntry(bytes, metrics.entry, metrics.listed)) as { rows: ArchiveValue[][] };
    rows.insertMetricRows(
      metrics.table,
      runIds.get(metrics.runUid)!,
      metrics.insertColumns.map((c) => c.name),
      values.map((row) => metrics.positions.map((k, i) => decodeValue(row[k]!, metrics.insertColumns[i]!))),
    );
  }
  return { experimentId, alreadyPresent: false };
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
