import { isDeepStrictEqual } from 'node:util';
import type { ArchiveRows, SqlValue, TableRow } from '../store';
import { experimentsTable, runsTable, type ArchivedTable } from './archiveTables';
import type { CheckedArchive, CheckedMetrics } from './checkArchive';
import { experimentEntry, runsEntry } from './entryNames';

/** What an import would write of the archive: its experiment and runs as stored here, and each metrics entry's rows. */
export interface ArchiveContent {
  archive: CheckedArchive;
  runs: Record<string, SqlValue>[];
  metricRows(metrics: CheckedMetrics): SqlValue[][];
}

/**
 * How an archive differs from the experiment with its uid that is already in the database, in words
 * (the first difference found), or null when everything the archive holds is there as it holds it: the
 * experiment's columns, each run's columns and every metric row. Runs or rows that only the database has
 * (added after an earlier import) are no difference: importing the archive would add nothing.
 */
export function archiveDifference(rows: ArchiveRows, experimentId: number, content: ArchiveContent): string | null {
  const changed = changedColumn(experimentsTable, content.archive.experiment, rows.experimentRow(experimentId)!);
  if (changed !== null) return `${experimentEntry}: the column ${changed} differs`;

  const stored = new Map(rows.runRows(experimentId).map((run) => [run.uid as string, run]));
  for (const run of content.runs) {
    const here = stored.get(run.uid as string);
    if (!here) return `${runsEntry}: run ${String(run.uid)} is not in the database's copy`;
    const column = changedColumn(runsTable, run, here);
    if (column !== null) return `${runsEntry}: run ${String(run.uid)}: the column ${column} differs`;
  }

  for (const metrics of content.archive.metrics) {
    const here = rows.metricRows(metrics.table, stored.get(metrics.runUid)!.id as number);
    const positions = metrics.insertColumns.map((c) => here.columns.indexOf(c.name));
    const storedRows = new Set(here.rows.map((row) => rowKey(positions.map((k) => row[k] as SqlValue))));
    const missing = content.metricRows(metrics).filter((row) => !storedRows.has(rowKey(row))).length;
    if (missing > 0) return `${metrics.entry.name}: ${missing} of its rows ${missing === 1 ? 'is' : 'are'} not in the database as the archive has ${missing === 1 ? 'it' : 'them'}`;
  }
  return null;
}

/** The first column the archive's row gives whose value the stored row does not have (JSON columns compared parsed). */
function changedColumn(spec: ArchivedTable, archived: Record<string, SqlValue>, stored: TableRow): string | null {
  for (const [name, value] of Object.entries(archived)) {
    const here = stored[name] as SqlValue;
    const same = name in spec.json && typeof value === 'string' && typeof here === 'string' ? isDeepStrictEqual(JSON.parse(value), JSON.parse(here)) : value === here;
    if (!same) return name;
  }
  return null;
}

/** A row's values as one string, numbers apart from text (JSON alone would write Infinity as null). */
function rowKey(values: SqlValue[]): string {
  return JSON.stringify(values.map((v) => (typeof v === 'number' ? { n: String(v) } : v)));
}
