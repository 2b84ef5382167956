import { z } from 'zod';
import type { RunStatus } from '../api/labApi';
import { uidPattern, type MetricTable } from './entryNames';

/**
 * What travels of each table. Columns are read generically (SELECT *), minus the ones that only mean
 * something in the source database; JSON text columns travel parsed, and a few columns get a stricter
 * check than their SQL type gives.
 */
export interface ArchivedTable {
  table: string;
  /** Columns left out of the archive: local ids (replaced by uids) and the exporting machine's process id. */
  local: readonly string[];
  /** JSON text columns: parsed on export, checked with this schema and stringified on import. */
  json: Readonly<Record<string, z.ZodType>>;
  /** Stricter checks for plain columns. */
  checks: Readonly<Record<string, z.ZodType>>;
  /** Columns an archive must carry even though the database has a default (a run without a status would wait in the queue forever). */
  required: readonly string[];
}

const uid = z.string().regex(uidPattern, 'expected a uid of letters, digits, - and _');
const tags = z.array(z.string());
const runStatuses = ['queued', 'running', 'completed', 'diverged', 'cancelled', 'failed', 'interrupted'] as const satisfies readonly RunStatus[];

/** A run spec from any CurveLab version: what the lab reads of every spec must be there; the rest is kept as it is. */
const runSpec = z.looseObject({
  dataset: z.string(),
  optimizer: z.string(),
  arch: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

export const experimentsTable: ArchivedTable = {
  table: 'experiments',
  local: ['id'],
  json: { tags },
  checks: { uid },
  required: [],
};

export const runsTable: ArchivedTable = {
  table: 'runs',
  local: ['id', 'experiment_id', 'pid'],
  json: { spec: runSpec, tags },
  checks: { uid, status: z.enum(runStatuses) },
  required: ['status'],
};

export function metricsTable(table: MetricTable): ArchivedTable {
  return { table, local: ['run_id'], json: {}, checks: {}, required: [] };
}
