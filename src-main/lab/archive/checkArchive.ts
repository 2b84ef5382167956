import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';
import { describeBytes } from '../../engine/memoryLimits';
import { describeJsonBound, JsonBoundsCheck, type JsonBounds } from '../api/jsonBounds';
import type { ArchiveRows, SqlValue, TableColumn } from '../store';
import { ArchiveError } from './archiveError';
import { parseEntryShape, parseJsonEntry, readListedEntry } from './archiveEntryText';
import type { ArchiveLimits } from './archiveLimits';
import { archiveFormat, archiveFormatVersion, manifestSchema, type ArchiveManifest } from './archiveManifest';
import { experimentsTable, metricsTable, runsTable, type ArchivedTable } from './archiveTables';
import { decodeValue, valueSchema, type ArchiveValue } from './archiveValues';
import type { ArchiveFileEntry } from './archiveWriter';
import { classifyEntry, experimentEntry, manifestEntry, runsEntry, unsafeEntryName, type MetricTable } from './entryNames';
import { readZipDirectory, readZipEntry, type ZipEntry } from './zipReader';

/** One metrics file, checked: what the write pass needs to insert its rows. */
export interface CheckedMetrics {
  entry: ZipEntry;
  listed: ArchiveFileEntry;
  runUid: string;
  table: MetricTable;
  /** The columns written (after run_id), from the current schema... */
  insertColumns: TableColumn[];
  /** ...and where each is in the archive's rows. */
  positions: number[];
}

/** An archive that passed every check, with the experiment and run rows ready to insert. */
export interface CheckedArchive {
  manifest: ArchiveManifest;
  /** The columns both the archive and the database have (local ids left out), values as SQLite stores them. */
  experiment: Record<string, SqlValue>;
  /** Same; every run has the same columns. */
  runs: Record<string, SqlValue>[];
  metrics: CheckedMetrics[];
}

type Row = Record<string, unknown>;

/** What the checks need of the importing database: its schema version and each table's columns. */
export type ArchiveSchema = Pick<ArchiveRows, 'schemaVersion' | 'columns'>;

/**
 * Checks everything about an archive before the import writes anything: the zip (see readZipDirectory),
 * the manifest (format, version, schema version not newer than the database's), every entry listed
 * with a matching size and SHA-256 and nothing unlisted, and every row's shape against the current
 * schema: columns, types, no duplicate keys, metric rows only for runs in runs.json, counts as listed.
 * Throws an ArchiveError naming the entry at fault.
 */
export function checkArchive(schema: ArchiveSchema, bytes: Uint8Array, limits: ArchiveLimits): CheckedArchive {
  const entries = new Map(readZipDirectory(bytes, limits).map((e) => [e.name, e]));
  const parseJson = boundedJsonParser(limits);
  const manifest = readManifest(bytes, entries.get(manifestEntry), parseJson);

  const schemaVersion = schema.schemaVersion();
  if (manifest.schemaVersion > schemaVersion) {
    throw new ArchiveError(
      manifestEntry,
      `the archive comes from a database with schema version ${manifest.schemaVersion}, newer than this one's (${schemaVersion}): import it with a newer CurveLab`,
    );
  }

  for (const name of entries.keys()) {
    if (name !== manifestEntry && !(name in manifest.files)) throw new ArchiveError(name, 'is not listed in manifest.json');
  }
  const listed = Object.entries(manifest.files).map(([name, file]) => {
    const unsafe = unsafeEntryName(name);
    if (unsafe) throw new ArchiveError(manifestEntry, `lists the file ${JSON.stringify(name)}: refused, ${unsafe}`);
    const kind = classifyEntry(name);
    if (!kind || kind.kind === 'manifest') throw new ArchiveError(name, 'is listed in manifest.json but is not part of the archive format');
    const entry = entries.get(name);
    if (!entry) throw new ArchiveError(name, 'is listed in manifest.json but missing from the archive');
    if (entry.size !== file.bytes) throw new ArchiveError(name, `declares ${entry.size} bytes, but manifest.json lists ${file.bytes}`);
    return { name, kind, entry, file };
  });

  const read = (name: string): unknown => {
    const item = listed.find((l) => l.name === name);
    if (!item) throw new ArchiveError(name, 'is missing from the archive');
    return parseJson(name, readListedEntry(bytes, item.entry, item.file));
  };
  const experiment = checkRow(experimentEntry, '', experimentsTable, schema.columns('experiments'), read(experimentEntry));
  if (experiment.uid !== manifest.experiment.uid) {
    throw new ArchiveError(experimentEntry, `uid ${String(experiment.uid)} differs from the manifest's experiment uid ${manifest.experiment.uid}`);
  }
  const runs = checkRuns(schema, read(runsEntry));
  const runUids = new Set(runs.map((r) => r.uid as string));

  const metrics: CheckedMetrics[] = [];
  const rowCounts: Record<MetricTable, number> = { step_metrics: 0, epoch_metrics: 0, trace_values: 0 };
  for (const { name, kind, entry, file } of listed) {
    if (kind.kind === 'csv') {
      readListedEntry(bytes, entry, file); // not imported, but a damaged archive is refused whole
    } else if (kind.kind === 'metrics') {
      if (!runUids.has(kind.runUid)) throw new ArchiveError(name, `holds rows of run ${kind.runUid}, which runs.json does not have`);
      const content = parseJson(name, readListedEntry(bytes, entry, file));
      const checked = checkMetricRows(schema, name, kind.table, content);
      rowCounts[kind.table] += checked.rowCount;
      metrics.push({ entry, listed: file, runUid: kind.runUid, table: kind.table, insertColumns: checked.insertColumns, positions: checked.positions });
    }
  }

  const counted: [keyof ArchiveManifest['counts'], number][] = [
    ['runs', runs.length],
    ['stepMetrics', rowCounts.step_metrics],
    ['epochMetrics', rowCounts.epoch_metrics],
    ['traceValues', rowCounts.trace_values],
  ];
  for (const [key, actual] of counted) {
    if (manifest.counts[key] !== actual) {
      throw new ArchiveError(manifestEntry, `counts.${key} is ${manifest.counts[key]}, but the archive holds ${actual}`);
    }
  }
  return { manifest, experiment, runs, metrics };
}

function isRecord(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses JSON entries one after another within the archive's JSON limits: each entry's structure is
 * counted before it is parsed, against what the entries before it left of the limits, so that neither
 * one entry nor many together can make the import build more than the largest experiment holds.
 */
function boundedJsonParser(limits: ArchiveLimits): (name: string, content: Uint8Array) => unknown {
  let values = 0;
  let containers = 0;
  return (name, content) => {
    const bounds: JsonBounds = { maxDepth: limits.maxJsonDepth, maxValues: limits.maxJsonValues - values, maxContainers: limits.maxJsonContainers - containers };
    const check = new JsonBoundsCheck(bounds);
    const passed = check.push(content);
    if (passed === 'maxDepth') throw new ArchiveError(name, describeJsonBound(passed, bounds));
    if (passed !== null) {
      const all = { ...bounds, maxValues: limits.maxJsonValues, maxContainers: limits.maxJsonContainers };
      throw new ArchiveError(name, `with the entries before it, the archive's JSON ${describeJsonBound(passed, all)}, more than an archive may`);
    }
    values += check.counts.values;
    containers += check.counts.containers;
    refuseUnlessParseFits(name, content.byteLength, check.counts);
    return parseJsonEntry(name, content);
  };
}

/**
 * JSON.parse cannot be interrupted, and a thread that runs out of heap inside it aborts the whole
 * process, even a worker with resourceLimits (nodejs/node#47224): so an entry whose parse, and the copy
 * the checks make of it, might not fit in the heap left is refused before it is parsed. Generous per
 * item (V8 takes some 40-60 bytes per array or object, 10-30 per value), the text as UTF-16.
 */
function refuseUnlessParseFits(name: string, bytes: number, counts: { values: number; containers: number }): void {
  const needed = 64 * counts.containers + 40 * counts.values + 2 * bytes;
  const heap = getHeapStatistics();
  const left = heap.heap_size_limit - heap.used_heap_size;
  if (needed > left) {
    throw new ArchiveError(name, `parsing it could take ${describeBytes(needed)} of memory, more than the ${describeBytes(left)} this import has left`);
  }
}

function readManifest(bytes: Uint8Array, entry: ZipEntry | undefined, parseJson: (name: string, content: Uint8Array) => unknown): ArchiveManifest {
  if (!entry) throw new ArchiveError(undefined, `${manifestEntry} is missing, so this is not a CurveLab experiment archive`);
  const raw = parseJson(manifestEntry, readZipEntry(bytes, entry));
  if (!isRecord(raw)) throw new ArchiveError(manifestEntry, 'expected a JSON object');
  // Format and version first, with their own messages: a newer format is the likeliest reason for a mismatch below.
  if (raw.format !== archiveFormat) {
    throw new ArchiveError(manifestEntry, `format is ${JSON.stringify(raw.format)}; expected ${JSON.stringify(archiveFormat)}`);
  }
  if (raw.formatVersion !== archiveFormatVersion) {
    const newer = typeof raw.formatVersion === 'number' && raw.formatVersion > archiveFormatVersion;
    throw new ArchiveError(
      manifestEntry,
      `formatVersion is ${JSON.stringify(raw.formatVersion)}; this CurveLab reads version ${archiveFormatVersion}${newer ? ' (the archive comes from a newer CurveLab)' : ''}`,
    );
  }
  return parseEntryShape(manifestEntry, manifestSchema, raw);
}

/** The schema one archived column must match: its JSON schema, a stricter check, or its SQL type. */
function columnSchema(spec: ArchivedTable, column: TableColumn): z.ZodType {
  const json = spec.json[column.name];
  if (json) return column.notNull ? json : json.nullable();
  return spec.checks[column.name] ?? valueSchema(column);
}

/**
 * One experiment or run object: every column the database requires is there, every column both sides
 * have matches the database's type; columns only the archive has (from a newer schema) are left out.
 * Returns the insertable columns, decoded.
 */
function checkRow(name: string, where: string, spec: ArchivedTable, columns: TableColumn[], value: unknown): Record<string, SqlValue> {
  const prefix = where === '' ? '' : `${where}: `;
  if (!isRecord(value)) throw new ArchiveError(name, `${prefix}expected a JSON object`);
  const shape: Record<string, z.ZodType> = {};
  const insertable = columns.filter((c) => !spec.local.includes(c.name));
  for (const column of insertable) {
    if (((column.notNull && !column.hasDefault) || spec.required.includes(column.name)) && !(column.name in value)) {
      throw new ArchiveError(name, `${prefix}column ${column.name} is missing (the database requires it)`);
    }
    shape[column.name] = columnSchema(spec, column).optional();
  }
  parseEntryShape(name, z.looseObject(shape), value, (path) => `${prefix}${path.map(String).join('.')}`);
  const out: Record<string, SqlValue> = {};
  for (const column of insertable) {
    if (!(column.name in value)) continue;
    const v = value[column.name];
    out[column.name] = column.name in spec.json ? (v === null ? null : JSON.stringify(v)) : decodeValue(v as ArchiveValue, column);
  }
  return out;
}

function checkRuns(schema: ArchiveSchema, value: unknown): Record<string, SqlValue>[] {
  if (!Array.isArray(value)) throw new ArchiveError(runsEntry, 'expected a JSON array of runs');
  const columns = schema.columns('runs');
  const runs = value.map((row, i) => checkRow(runsEntry, `[${i}]`, runsTable, columns, row));
  const uids = new Set<string>();
  const firstKeys = runs.length > 0 ? Object.keys(runs[0]!).sort().join(',') : '';
  runs.forEach((run, i) => {
    const uid = run.uid as string;
    if (uids.has(uid)) throw new ArchiveError(runsEntry, `[${i}]: run uid ${uid} appears twice`);
    uids.add(uid);
    const keys = Object.keys(run).sort().join(',');
    if (keys !== firstKeys) throw new ArchiveError(runsEntry, `[${i}]: has the columns ${keys}, but the first run has ${firstKeys}`);
  });
  return runs;
}

const metricFileSchema = z.strictObject({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) });
const anyValue = z.union([z.string(), z.number(), z.null()]);

function checkMetricRows(
  archiveSchema: ArchiveSchema,
  name: string,
  table: MetricTable,
  content: unknown,
): { rowCount: number; insertColumns: TableColumn[]; positions: number[] } {
  const { columns, rows } = parseEntryShape(name, metricFileSchema, content);
  const spec = metricsTable(table);
  const schema = archiveSchema.columns(table).filter((c) => !spec.local.includes(c.name));
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined) throw new ArchiveError(name, `column ${duplicate} appears twice`);
  for (const column of schema) {
    const required = (column.notNull && !column.hasDefault) || column.primaryKey > 0;
    if (required && !columns.includes(column.name)) throw new ArchiveError(name, `column ${column.name} is missing (the database requires it)`);
  }
  const byName = new Map(schema.map((c) => [c.name, c]));
  rows.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new ArchiveError(name, `rows[${i}] has ${row.length} values; expected ${columns.length}, one per column`);
    }
  });
  // Columns the database lacks (from a newer schema) are not written, but must still be plain values.
  const cellSchemas = columns.map((name) => {
    const column = byName.get(name);
    return column ? valueSchema(column) : anyValue;
  });
  const rowSchema = z.tuple(cellSchemas as [z.ZodType, ...z.ZodType[]]);
  parseEntryShape(name, z.array(rowSchema), rows, ([row, column]) => `rows[${String(row)}], column ${columns[column as number] ?? String(column)}`);

  const keyPositions = schema.filter((c) => c.primaryKey > 0).map((c) => columns.indexOf(c.name));
  const keys = new Set<string>();
  rows.forEach((row, i) => {
    const key = JSON.stringify(keyPositions.map((k) => row[k]));
    if (keys.has(key)) throw new ArchiveError(name, `rows[${i}] repeats the key ${key} of an earlier row`);
    keys.add(key);
  });
  const insertColumns = schema.filter((c) => columns.includes(c.name));
  return { rowCount: rows.length, insertColumns, positions: insertColumns.map((c) => columns.indexOf(c.name)) };
}
