import Database from 'better-sqlite3';
import { RowRefusedError } from './storeErrors';

/** A value as SQLite stores it. */
export type SqlValue = string | number | null;

/** One row as SELECT * returns it. */
export type TableRow = Record<string, unknown>;

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

/** The tables an experiment archive carries: its own row, its runs and their metrics. */
const archivedTables = new Set(['experiments', 'runs', 'step_metrics', 'epoch_metrics', 'trace_values']);

/**
 * The store's side of experiment archives: whole rows in and out (SELECT *, so that columns added by
 * later migrations travel without this module knowing them), the schema they follow, and the two
 * transactions an export and an import need. The archive modules work on these plain rows and keep
 * the format and its checks.
 */
export class ArchiveRows {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The schema version (PRAGMA user_version) the rows follow. */
  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** The table's columns, read with PRAGMA table_info so that columns added by later migrations are seen. */
  columns(table: string): TableColumn[] {
    const rows = this.statement('SELECT name, type, "notnull" AS nonNull, dflt_value AS dflt, pk FROM pragma_table_info(?)').all(table) as {
      name: string;
      type: string;
      nonNull: number;
      dflt: string | null;
      pk: number;
    }[];
    if (rows.length === 0) throw new Error(`the database has no table ${table}`);
    return rows.map((r) => ({ name: r.name, type: r.type.toUpperCase(), notNull: r.nonNull === 1, hasDefault: r.dflt !== null, primaryKey: r.pk }));
  }

  /** Runs `read` in one transaction: a consistent snapshot even while runs are recording. */
  snapshot<T>(read: () => T): T {
    return this.db.transaction(read)();
  }

  experimentRow(id: number): TableRow | undefined {
    return this.statement('SELECT * FROM experiments WHERE id = ?').get(id) as TableRow | undefined;
  }

  /** The experiment's run rows, oldest first. */
  runRows(experimentId: number): TableRow[] {
    return this.statement('SELECT * FROM runs WHERE experiment_id = ? ORDER BY id').all(experimentId) as TableRow[];
  }

  /** A run's rows of one metrics table in primary-key order: the column names and one value array per row. */
  metricRows(table: string, runId: number): { columns: string[]; rows: unknown[][] } {
    const order = this.columns(archived(table))
      .filter((c) => c.primaryKey > 0)
      .sort((a, b) => a.primaryKey - b.primaryKey)
      .map((c) => c.name);
    const statement = this.statement(`SELECT * FROM ${table} WHERE run_id = ? ORDER BY ${order.join(', ')}`).raw(true);
    return { columns: statement.columns().map((c) => c.name), rows: statement.all(runId) as unknown[][] };
  }

  /** A dataset source's registered name and content hash: the row with the same CSV target first, then the newest. */
  datasetIdentity(source: string, target: string | null): { name: string; contentHash: string } | undefined {
    return this.statement('SELECT name, content_hash AS contentHash FROM datasets WHERE source = ? ORDER BY (target IS ?) DESC, id DESC LIMIT 1').get(
      source,
      target,
    ) as { name: string; contentHash: string } | undefined;
  }

  /**
   * Runs `write` in one IMMEDIATE transaction, so that what it reads (is this experiment here?) and what
   * it inserts see one state even with another process writing. Everything rolls back if it throws; a
   * row the database refuses (a constraint) throws RowRefusedError.
   */
  writeAll<T>(write: () => T): T {
    try {
      return this.db.transaction(write).immediate();
    } catch (error) {
      if (error instanceof Database.SqliteError) throw new RowRefusedError(this.db.name, error.message, { cause: error });
      throw error;
    }
  }

  experimentIdByUid(uid: string): number | undefined {
    return (this.statement('SELECT id FROM experiments WHERE uid = ?').get(uid) as { id: number } | undefined)?.id;
  }

  /** The experiment that holds the run with this uid, if the run is here. */
  experimentOfRun(runUid: string): { id: number; name: string } | undefined {
    return this.statement('SELECT e.id, e.name FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.uid = ?').get(runUid) as
      | { id: number; name: string }
      | undefined;
  }

  /** Inserts one row (its columns as given) and returns it as stored. */
  insert(table: string, row: Record<string, SqlValue>): TableRow {
    const columns = Object.keys(row);
    const names = columns.map(quoted).join(', ');
    const sql = `INSERT INTO ${archived(table)} (${names}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING *`;
    return this.statement(sql).get(...columns.map((c) => row[c])) as TableRow;
  }

  /** Inserts a run's rows of one metrics table, `values` in the order of `columns`. */
  insertMetricRows(table: string, runId: number, columns: string[], values: SqlValue[][]): void {
    const insert = this.statement(
      `INSERT INTO ${archived(table)} (run_id, ${columns.map(quoted).join(', ')}) VALUES (?${', ?'.repeat(columns.length)})`,
    );
    for (const row of values) insert.run(runId, ...row);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Table names go into SQL text: only the archived tables are accepted. */
function archived(table: string): string {
  if (!archivedTables.has(table)) throw new Error(`not an archived table: ${table}`);
  return table;
}

function quoted(column: string): string {
  return `"${column.replaceAll('"', '""')}"`;
}
