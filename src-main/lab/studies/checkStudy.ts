import type { StudySpec } from '../../shared/studySpec';
import type { FieldIssue, StudyCell } from '../api/labApi';
import { fieldIssue, studySpecSchema } from '../api/labSchemas';
import { normalizeRuns, soundAt, type CheckedRunSpec, type DatasetFacts } from '../runSpec/normalizeRuns';
import { entryRows, rowCells, rowRequest, studyRunCount, type StudyRow } from './expandStudy';

/** A study spec as it came, with every issue of its structure (studySpecSchema), fields relative to the spec. */
export interface StudyStructure {
  spec: StudySpec;
  issues: FieldIssue[];
}

/** One run of a study: its spec (checked by normalizeRuns) and its cell. */
export interface StudyRun {
  spec: CheckedRunSpec;
  cell: StudyCell;
}

export interface StudyVerdict {
  /** Row by row (architecture, then optimizer entry, lr-grid value, seed); none when there is an issue. */
  runs: StudyRun[];
  /** Every issue, structure first, each at its field in the spec (`optimizers.1.options.lr`, `architectures.2.options.width`). */
  issues: FieldIssue[];
  /** The runs the spec asks for; 0 when its structure is unsound. */
  runCount: number;
}

/** Parses an untrusted study spec with the study schema, keeping every issue. */
export function studyStructure(payload: unknown): StudyStructure {
  const parsed = studySpecSchema.safeParse(payload);
  return parsed.success ? { spec: parsed.data, issues: [] } : { spec: payload as StudySpec, issues: parsed.error.issues.map(fieldIssue) };
}

/**
 * The one check of a study, for startStudy and checkStudy alike: its structure (the study schema), then
 * every run it expands to through the one check of runs (normalizeRuns, against the dataset's shapes
 * and split sizes), one run request per table row. Their issues come back at the study's fields:
 * `base.archOptions.width` of a row is `architectures.<its entry>.options.width`, `optimizers.1.grid.lr`
 * is `optimizers.1.lrGrid`, and an issue every row shares is given once. The parts of the spec with
 * structural issues are not checked again (an unsound architecture entry gives no rows), so a client
 * sees every issue at once.
 */
export function studyVerdict(structure: StudyStructure, dataset: DatasetFacts): StudyVerdict {
  const { spec } = structure;
  const issues = [...structure.issues];
  const sound = (field: string) => soundAt(structure, field);
  const runCount = structure.issues.length === 0 ? studyRunCount(spec) : 0;
  // Without the lists there is nothing to expand (entries with issues of their own are left out below).
  const lists = typeof spec === 'object' && spec !== null && Array.isArray(spec.architectures) && Array.isArray(spec.seeds) && Array.isArray(spec.optimizers);
  if (!lists || !spec.optimizers.every((o) => typeof o === 'object' && o !== null)) return { runs: [], issues, runCount };
  const rows = spec.architectures.flatMap((entry, i) => (sound(`architectures.${i}`) ? entryRows(spec, entry, i) : []));
  const requestIssues = structure.issues.flatMap((issue) => {
    const field = requestField(issue.field);
    return field === null ? [] : [{ field, message: issue.message }];
  });
  const runs: StudyRun[] = [];
  const seen = new Set(issues.map(issueKey));
  for (const row of rows) {
    const verdict = normalizeRuns({ request: rowRequest(spec, row), issues: requestIssues }, dataset);
    for (const issue of verdict.issues.slice(requestIssues.length)) {
      const placed = { field: studyField(issue.field, row, spec), message: issue.message };
      if (!seen.has(issueKey(placed))) issues.push(placed);
      seen.add(issueKey(placed));
    }
    const cells = rowCells(spec, row);
    verdict.specs.forEach((runSpec, k) => runs.push({ spec: runSpec, cell: cells[k]! }));
  }
  return issues.length > 0 ? { runs: [], issues, runCount } : { runs, issues, runCount };
}

function issueKey(issue: FieldIssue): string {
  return `${issue.field}\n${issue.message}`;
}

/** The study's top-level fields a row's run request has under `base`. */
const baseFields = new Set(['dataset', 'target', 'trainSize', 'valSize', 'augment', 'shuffle', 'init', 'batchSize', 'divergenceFactor', 'checkpointEvery']);

/** Where a structural issue of the study lies in a row's run request (null: it has no counterpart there). */
function requestField(field: string): string | null {
  const [head, ...rest] = field.split('.');
  if (head === undefined || head === '') return '';
  if (baseFields.has(head)) return `base.${field}`;
  if (head === 'seeds') return field;
  if (head === 'optimizers') {
    const [index, key, ...inner] = rest;
    if (key === 'label') return null;
    if (key === 'lrGrid') return ['optimizers', index, 'grid', 'lr', ...inner].join('.');
    return field;
  }
  return null;
}

/** Where an issue of a row's run request (normalizeRuns' field) lies in the study spec. */
function studyField(field: string, row: StudyRow, spec: StudySpec): string {
  const [head, key, ...rest] = field.split('.');
  const entry = `architectures.${row.entry}`;
  if (head === 'base' && key !== undefined) {
    if (key === 'arch') {
      if (row.random) return `${entry}.random`;
      return rest.length === 0 ? `${entry}.${typeof row.arch === 'string' ? 'preset' : 'spec'}` : `${entry}.spec.${rest.join('.')}`;
    }
    if (key === 'archOptions') return row.random ? `${entry}.random` : [`${entry}.options`, ...rest].join('.');
    if (key === 'epochs' || key === 'steps') return row.ownBudget ? `${entry}.budget.${key}` : `budget.${key}`;
    return [key, ...rest].join('.');
  }
  if (head === 'optimizers' && key !== undefined && rest[0] === 'grid') {
    return spec.optimizers[Number(key)]?.lrGrid ? [`optimizers.${key}.lrGrid`, ...rest.slice(2)].join('.') : field;
  }
  return field;
}
