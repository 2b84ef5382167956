import { z } from 'zod';
import type { RunStatus } from '../api/labApi';
import { labSchemas, studySpecSchema } from '../api/labSchemas';
import { checkRunSpec } from '../runSpec/checkRunSpec';
import { uidPattern, type MetricTable } from './entryNames';

/**
 * What travels of each table. Columns are read generically (SELECT *), minus the ones that only mean
 * something in the source database; JSON text columns travel parsed, and a few columns get a stricter
 * check than their SQL type gives.
 */
export interface ArchivedTable {
  table: string;
  /** Columns left out of the archive: local ids (replaced by uids) and the exporting machine's process id and lab session. */
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
// What a user may type goes in as strictly as through the API: an archive is input like any other.
const { name, notes, tags } = labSchemas.createExperiment.shape;
const runStatuses = ['queued', 'running', 'completed', 'diverged', 'cancelled', 'failed', 'interrupted'] as const satisfies readonly RunStatus[];

/**
 * A run spec as the API would start it: the one request schema and normaliser (checkRunSpec), each
 * issue at its field (`spec.seed`). Its values reach file names, CSV cells and the trainer.
 */
const runSpec = z.unknown().superRefine((value, context) => {
  for (const issue of checkRunSpec(value).issues) context.addIssue({ code: 'custom', path: issue.field.split('.').slice(1), message: issue.message });
});

/** A study's experiment (its `study` column): its spec as startStudy would take it (studySpecSchema). */
const study = z.looseObject({
  spec: studySpecSchema,
  builtIn: z.looseObject({ name: z.string(), scale: z.string() }).nullable(),
  task: z.enum(['classification', 'regression']),
});

/** A study's run (its `study_cell` column): where it sits in the study. */
const studyCell = z.looseObject({ architecture: z.string(), optimizer: z.string(), lr: z.number().nullable(), seed: z.number().int() });

export const experimentsTable: ArchivedTable = {
  table: 'experiments',
  local: ['id'],
  json: { tags, study },
  checks: { uid, name, notes },
  required: [],
  optional: ['study'],
};

export const runsTable: ArchivedTable = {
  table: 'runs',
  local: ['id', 'experiment_id', 'pid', 'session'],
  json: { spec: runSpec, tags, study_cell: studyCell },
  checks: { uid, notes, status: z.enum(runStatuses) },
  required: ['status'],
  optional: [],
};

export function metricsTable(table: MetricTable): ArchivedTable {
  return { table, local: ['run_id'], json: {}, checks: {}, required: [], optional: [] };
}
