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
  /** Columns written only when not NULL (an import reads one left out as NULL): a plain experiment's row has no `study`. */
  optional: readonly string[];
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

/**
 * A study's experiment (its `study` column): what the lab reads of the spec to expand its rows and
 * columns and to report it must be there; the rest is kept as it is.
 */
const study = z.looseObject({
  spec: z.looseObject({
    dataset: z.string(),
    architectures: z.array(
      z.union([
        z.looseObject({ random: z.looseObject({ count: z.number().int().positive(), seed: z.number().int().nonnegative() }) }),
        z.looseObject({ label: z.string(), spec: z.record(z.string(), z.unknown()) }),
        z.looseObject({ preset: z.string(), label: z.string().optional(), options: z.record(z.string(), z.string()).optional() }),
      ]),
    ),
    optimizers: z.array(z.looseObject({ name: z.string(), label: z.string().optional(), lrGrid: z.array(z.number()).optional() })),
    seeds: z.array(z.number().int()),
    budget: z.union([z.looseObject({ epochs: z.number() }), z.looseObject({ steps: z.number() })]),
    batchSize: z.union([z.number(), z.literal('full')]),
  }),
  builtIn: z.looseObject({ name: z.string(), scale: z.string() }).nullable(),
  task: z.enum(['classification', 'regression']),
});

/** A study's run (its `study_cell` column): where it sits in the study. */
const studyCell = z.looseObject({ architecture: z.string(), optimizer: z.string(), lr: z.number().nullable(), seed: z.number().int() });

export const experimentsTable: ArchivedTable = {
  table: 'experiments',
  local: ['id'],
  json: { tags, study },
  checks: { uid },
  required: [],
  optional: ['study'],
};

export const runsTable: ArchivedTable = {
  table: 'runs',
  local: ['id', 'experiment_id', 'pid'],
  json: { spec: runSpec, tags, study_cell: studyCell },
  checks: { uid, status: z.enum(runStatuses) },
  required: ['status'],
  optional: [],
};

export function metricsTable(table: MetricTable): ArchivedTable {
  return { table, local: ['run_id'], json: {}, checks: {}, required: [], optional: [] };
}
