import type { FieldIssue } from '../api/labApi';
import { normalizeRuns, requestStructure, type CheckedRunSpec, type DatasetFacts } from './normalizeRuns';

/** A run spec that came from outside the lab process (a queue job): checked, or every issue at its `spec.…` field. */
export type RunSpecVerdict = { spec: CheckedRunSpec; issues: [] } | { spec: null; issues: FieldIssue[] };

/**
 * Checks one untrusted run spec with the one request schema and normaliser the API uses: the spec is
 * read as a request for one optimizer and one seed, and each issue's field is mapped back into the spec
 * (`base.lr…` → `spec.…`, `optimizers.0.options.lr` → `spec.optimizerOptions.lr`, `seeds.0` → `spec.seed`).
 * A spec normalizeRuns made comes back equal to itself.
 */
export function checkRunSpec(value: unknown, dataset: DatasetFacts = null): RunSpecVerdict {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { spec: null, issues: [{ field: 'spec', message: 'expected a run spec object' }] };
  const { optimizer, optimizerOptions, seed, ...base } = value as Record<string, unknown>;
  const verdict = normalizeRuns(
    requestStructure({ base, optimizers: [{ name: optimizer, ...(optimizerOptions !== undefined ? { options: optimizerOptions } : {}) }], seeds: [seed] }),
    dataset,
  );
  const spec = verdict.specs[0];
  if (verdict.issues.length === 0 && spec) return { spec, issues: [] };
  return { spec: null, issues: verdict.issues.map((issue) => ({ field: specField(issue.field), message: issue.message })) };
}

function specField(field: string): string {
  const path = field.split('.');
  if (path[0] === 'base') return ['spec', ...path.slice(1)].join('.');
  if (path[0] === 'optimizers') {
    if (path[2] === 'name') return 'spec.optimizer';
    if (path[2] === 'options') return ['spec', 'optimizerOptions', ...path.slice(3)].join('.');
    return 'spec.optimizer';
  }
  if (path[0] === 'seeds') return 'spec.seed';
  return field === '' ? 'spec' : `spec.${field}`;
}
