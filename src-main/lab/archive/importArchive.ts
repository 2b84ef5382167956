import Database from 'better-sqlite3';
import type { ImportResult } from '../api/labApi';
import type { Store } from '../store';
import { ArchiveError } from './archiveError';
import { parseJsonEntry, readListedEntry } from './archiveEntryText';
import { resolveArchiveLimits, type ArchiveLimits } from './archiveLimits';
import { checkArchive, type CheckedArchive, type SqlValue } from './checkArchive';
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
  const archive = checkArchive(store.db, bytes, resolveArchiveLimits(options.limits));
  let current = 'the archive';
  const write = store.db.transaction(() => writeArchive(store.db, bytes, archive, (entry) => (current = entry)));
  let written: { experimentId: number; alreadyPresent: boolean };
  try {
    // IMMEDIATE: the presence checks and the inserts see one state, even with another process writing.
    written = write.immediate();
  } catch (error) {
    // The checks above follow the schema, but a constraint they do not know (a future CHECK) still rolls back cleanly.
    if (error instanceof Database.SqliteError) throw new ArchiveError(current, `the database refused a row: ${error.message}`);
    throw error;
  }
  const experiment = store.getExperiment(written.experimentId)!;
  return { experiment, runCount: experiment.runCount, alreadyPresent: written.alreadyPresent };
}

function insertStatement(db: Database.Database, table: string, columns: string[]): Database.Statement {
  const names = columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');
  return db.prepare(`INSERT INTO ${table} (${names}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING *`);
}

function writeArchive(
  db: Database.Database,
  bytes: Uint8Array,
  archive: CheckedArchive,
  writing: (entry: string) => void,
): { experimentId: number; alreadyPresent: boolean } {
  const uid = archive.experiment.uid as string;
  const existing = db.prepare('SELECT id FROM experiments WHERE uid = ?').get(uid) as { id: number } | undefined;
  if (existing) return { experimentId: existing.id, alreadyPresent: true };

  const findRun = db.prepare('SELECT e.id, e.name FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.uid = ?');
  for (const run of archive.runs) {
    const other = findRun.get(run.uid) as { id: number; name: string } | undefined;
    if (other) {
      throw new ArchiveError(
        runsEntry,
        `run ${String(run.uid)} is already in this database, in experiment ${other.id} (${JSON.stringify(other.name)}); ` +
          'a run can only be imported together with its own experiment',
      );
    }
  }

  writing(experimentEntry);
  const experimentColumns = Object.keys(archive.experiment);
  const { id: experimentId } = insertStatement(db, 'experiments', experimentColumns).get(...experimentColumns.map((c) => archive.experiment[c])) as {
    id: number;
  };

  writing(runsEntry);
  const runIds = new Map<string, number>();
  if (archive.runs.length > 0) {
    const runColumns = Object.keys(archive.runs[0]!);
    const insertRun = insertStatement(db, 'runs', [...runColumns, 'experiment_id']);
    for (const run of archive.runs) {
      const row = interruptIfUnfinished(run, archive.manifest.createdAt);
      const { id } = insertRun.get(...runColumns.map((c) => row[c]), experimentId) as { id: number };
      runIds.set(run.uid as string, id);
    }
  }

  for (const metrics of archive.metrics) {
    writing(metrics.entry.name);
    // Inflated again rather than kept from the checks: one entry in memory at a time. The bytes are the
    // ones just checked, and the checksum is verified again.
    const { rows } = parseJsonEntry(metrics.entry.name, readListedEntry(bytes, metrics.entry, metrics.listed)) as { rows: ArchiveValue[][] };
    const insert = db.prepare(
      `INSERT INTO ${metrics.table} (run_id, ${metrics.insertColumns.map((c) => `"${c.name}"`).join(', ')}) VALUES (?${', ?'.repeat(metrics.insertColumns.length)})`,
    );
    const runId = runIds.get(metrics.runUid)!;
    for (const row of rows) insert.run(runId, ...metrics.positions.map((k, i) => decodeValue(row[k]!, metrics.insertColumns[i]!)));
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
