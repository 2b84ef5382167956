import type { TableColumn } from '../store';
import { experimentsTable, runsTable } from './archiveTables';
import type { ArchiveSchema } from './checkArchive';
import { metricTables } from './entryNames';

/**
 * An ArchiveSchema as plain data: the schema version and the columns of every table an archive carries,
 * read once from the database, so that a worker thread, which cannot reach the database, can check an
 * archive against it.
 */
export interface ArchiveSchemaSnapshot {
  schemaVersion: number;
  columns: Record<string, TableColumn[]>;
}

const archivedTables = [experimentsTable.table, runsTable.table, ...metricTables];

export function snapshotArchiveSchema(schema: ArchiveSchema): ArchiveSchemaSnapshot {
  return { schemaVersion: schema.schemaVersion(), columns: Object.fromEntries(archivedTables.map((table) => [table, schema.columns(table)])) };
}

export function archiveSchemaOf(snapshot: ArchiveSchemaSnapshot): ArchiveSchema {
  return {
    schemaVersion: () => snapshot.schemaVersion,
    columns: (table) => {
      const columns = snapshot.columns[table];
      if (!columns) throw new Error(`the archive schema has no table ${table}`);
      return columns;
    },
  };
}
