import type Database from 'better-sqlite3';
import type { DatasetInfo } from '../api/labApi';

/** A dataset as registered, without its id and creation time (the table assigns those). */
export type NewDatasetRow = Omit<DatasetInfo, 'id' | 'createdAt'>;

interface DatasetRow {
  id: number;
  name: string;
  source: string;
  origin: DatasetInfo['origin'];
  target: string | null;
  format: DatasetInfo['format'];
  content_hash: string;
  task: DatasetInfo['task'];
  input_shape: string;
  classes: number;
  class_names: string | null;
  train_size: number;
  validation_size: number;
  created_at: string;
}

function toDataset(row: DatasetRow): DatasetInfo {
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    origin: row.origin,
    target: row.target,
    format: row.format,
    contentHash: row.content_hash,
    task: row.task,
    inputShape: JSON.parse(row.input_shape) as number[],
    classes: row.classes,
    classNames: row.class_names === null ? null : (JSON.parse(row.class_names) as string[]),
    trainSize: row.train_size,
    validationSize: row.validation_size,
    createdAt: row.created_at,
  };
}

/** The `datasets` table: the registry of datasets the lab knows (what the UI lists and runs name). */
export class DatasetRows {
  constructor(private readonly db: Database.Database) {}

  /** Oldest first, so the embedded mnist (registered at first start) leads. */
  list(): DatasetInfo[] {
    return (this.db.prepare('SELECT * FROM datasets ORDER BY id').all() as DatasetRow[]).map(toDataset);
  }

  get(id: number): DatasetInfo | undefined {
    const row = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;
    return row && toDataset(row);
  }

  /** The row for a run spec's dataset source (and CSV target), newest first if it was re-registered. */
  findBySource(source: string, target: string | null = null): DatasetInfo | undefined {
    const row = this.db
      .prepare('SELECT * FROM datasets WHERE source = ? AND target IS ? ORDER BY id DESC LIMIT 1')
      .get(source, target) as DatasetRow | undefined;
    return row && toDataset(row);
  }

  /**
   * Inserts the dataset, or returns the existing row with the same source, target and content. (The
   * content hash covers the targets, so one CSV file with two target choices makes two rows.)
   */
  add(dataset: NewDatasetRow): DatasetInfo {
    const existing = this.db
      .prepare('SELECT * FROM datasets WHERE source = ? AND content_hash = ? AND target IS ?')
      .get(dataset.source, dataset.contentHash, dataset.target) as DatasetRow | undefined;
    if (existing) return toDataset(existing);
    const { id } = this.db
      .prepare(
        `INSERT INTO datasets (name, source, origin, target, format, content_hash, task, input_shape, classes, class_names,
                               train_size, validation_size, created_at)
         VALUES (@name, @source, @origin, @target, @format, @contentHash, @task, @inputShape, @classes, @classNames,
                 @trainSize, @validationSize, @createdAt)
         RETURNING id`,
      )
      .get({
        ...dataset,
        inputShape: JSON.stringify(dataset.inputShape),
        classNames: dataset.classNames === null ? null : JSON.stringify(dataset.classNames),
        createdAt: new Date().toISOString(),
      }) as { id: number };
    return this.get(id)!;
  }

  /** False if there was none. Runs keep their specs: a removed dataset only leaves the list. */
  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
  }
}
