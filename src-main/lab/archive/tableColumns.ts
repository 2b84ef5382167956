import type Database from 'better-sqlite3';

/** One column of a table as the current database declares it. */
export interface TableColumn {
  name: string;
  /** The declared type, upper-case (`INTEGER`, `REAL`, `TEXT`, or '' when undeclared). */
  type: string;
  notNull: boolean;
  hasDefault: boolean;
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: number;
}

/**
 * The table's columns, read with PRAGMA table_info so that columns added by later migrations are seen
 * without this module knowing them.
 */
export function tableColumns(db: Database.Database, table: string): TableColumn[] {
  const rows = db.prepare('SELECT name, type, "notnull" AS nonNull, dflt_value AS dflt, pk FROM pragma_table_info(?)').all(table) as {
    name: string;
    type: string;
    nonNull: number;
    dflt: string | null;
    pk: number;
  }[];
  if (rows.length === 0) throw new Error(`the database has no table ${table}`);
  return rows.map((r) => ({ name: r.name, type: r.type.toUpperCase(), notNull: r.nonNull === 1, hasDefault: r.dflt !== null, primaryKey: r.pk }));
}

/** How a column's values are checked on import: SQLite's type affinity rules, simplified to what the schema uses. */
export type ColumnKind = 'integer' | 'real' | 'text' | 'any';

export function columnKind(column: TableColumn): ColumnKind {
  const type = column.type;
  if (type.includes('INT')) return 'integer';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'text';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'real';
  return 'any';
}
