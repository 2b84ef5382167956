import type { RunInfo, RunSpec } from '$api/labApi';
import { groupColor, runColor } from './runColors';

/**
 * How the compare view pools runs into curves:
 * - `none`: one curve per run;
 * - `optimizer`: all runs of an optimizer together;
 * - `config`: runs whose specs agree on everything but the seed (the usual "mean over seeds");
 * - `option`: the optimizer plus one option's value (e.g. sgd with lr=0.1 vs sgd with lr=0.01).
 */
export type GroupBy = { kind: 'none' } | { kind: 'optimizer' } | { kind: 'config' } | { kind: 'option'; option: string };

/** The `<select>` value of a grouping: `none`, `optimizer`, `config` or `option:<name>`. */
export function groupByValue(groupBy: GroupBy): string {
  return groupBy.kind === 'option' ? `option:${groupBy.option}` : groupBy.kind;
}

/** The inverse of groupByValue; null for anything else. */
export function parseGroupBy(value: string): GroupBy | null {
  if (value === 'none' || value === 'optimizer' || value === 'config') return { kind: value };
  if (value.startsWith('option:') && value.length > 'option:'.length) return { kind: 'option', option: value.slice('option:'.length) };
  return null;
}

export interface GroupByChoice {
  value: string;
  label: string;
}

/** The groupings that make sense for these runs: the fixed three, then one per optimizer option any of them sets. */
export function groupByChoices(runs: readonly RunInfo[]): GroupByChoice[] {
  const options = new Set<string>();
  for (const run of runs) for (const name of Object.keys(run.spec.optimizerOptions ?? {})) options.add(name);
  return [
    { value: 'none', label: 'None (one curve per run)' },
    { value: 'optimizer', label: 'Optimizer' },
    { value: 'config', label: 'Optimizer + all options (pool seeds)' },
    ...[...options].sort().map((name) => ({ value: `option:${name}`, label: `Optimizer + ${name}` })),
  ];
}

/** One curve on the chart: a single run, or a group of runs drawn as a mean with a min–max band. */
export interface PlotEntry {
  /** Stable across refetches: `run:<id>` or `group:<grouping>:<values>`. */
  key: string;
  label: string;
  color: string;
  runIds: number[];
  /** True for a group (mean and band), false for one run drawn as is. */
  grouped: boolean;
}

/** The curves to draw, in the order of the runs' ids (groups by their first run). */
export function plotEntries(runs: readonly RunInfo[], groupBy: GroupBy): PlotEntry[] {
  const ordered = [...runs].sort((a, b) => a.id - b.id);
  const varying = varyingSpecFields(ordered);
  if (groupBy.kind === 'none') {
    return ordered.map((run) => ({ key: `run:${run.id}`, label: runLabel(run, varying), color: runColor(run.id), runIds: [run.id], grouped: false }));
  }
  const groups = new Map<string, PlotEntry>();
  for (const run of ordered) {
    const { key, label } = groupIdentity(run, groupBy, varying);
    const existing = groups.get(key);
    if (existing) existing.runIds.push(run.id);
    else groups.set(key, { key, label, color: groupColor(key), runIds: [run.id], grouped: true });
  }
  return [...groups.values()];
}

function groupIdentity(run: RunInfo, groupBy: Exclude<GroupBy, { kind: 'none' }>, varying: readonly SpecField[]): { key: string; label: string } {
  switch (groupBy.kind) {
    case 'optimizer':
      return { key: `group:optimizer:${run.optimizer}`, label: run.optimizer };
    case 'option': {
      const value = run.spec.optimizerOptions?.[groupBy.option];
      const shown = value === undefined ? 'default' : String(value);
      return { key: `group:option:${groupBy.option}:${run.optimizer}:${shown}`, label: `${run.optimizer} ${groupBy.option}=${shown}` };
    }
    case 'config': {
      const { seed: _seed, ...rest } = run.spec;
      return { key: `group:config:${stableJson({ ...rest, optimizer: run.optimizer })}`, label: configLabel(run, varying) };
    }
  }
}

/** `#12 curveball lr=0.1 seed 0`, plus any spec field that differs among the selected runs. */
export function runLabel(run: RunInfo, varying: readonly SpecField[] = []): string {
  return `#${run.id} ${configLabel(run, varying)} seed ${run.spec.seed}`;
}

function configLabel(run: RunInfo, varying: readonly SpecField[]): string {
  const parts = [run.optimizer, ...optionParts(run.spec.optimizerOptions ?? {})];
  for (const field of varying) parts.push(`${field}=${specFieldText(run.spec, field)}`);
  return parts.join(' ');
}

function optionParts(options: RunSpec['optimizerOptions']): string[] {
  return Object.keys(options)
    .sort()
    .map((name) => `${name}=${String(options[name])}`);
}

/** Spec fields (besides optimizer, options and seed) that can tell runs apart in a label. */
export type SpecField = Exclude<keyof RunSpec, 'optimizer' | 'optimizerOptions' | 'seed'>;
// Every such field, in label order: a record, so a field added to RunSpec does not compile until listed.
const labelled: Record<SpecField, true> = {
  dataset: true,
  target: true,
  arch: true,
  archOptions: true,
  batchSize: true,
  epochs: true,
  steps: true,
  shuffle: true,
  init: true,
  trainSize: true,
  valSize: true,
  augment: true,
  divergenceFactor: true,
};
const specFields = Object.keys(labelled) as SpecField[];

/** The spec fields whose values are not the same for all these runs: only those go into labels. */
export function varyingSpecFields(runs: readonly RunInfo[]): SpecField[] {
  return specFields.filter((field) => new Set(runs.map((run) => stableJson(run.spec[field] ?? null))).size > 1);
}

function specFieldText(spec: RunSpec, field: SpecField): string {
  const value = spec[field];
  if (value === undefined) return '-';
  if (field === 'dataset' && typeof value === 'string') return value.split(/[\\/]/).filter(Boolean).pop() ?? value;
  if (field === 'arch' && typeof value !== 'string') return 'custom';
  if (field === 'archOptions' && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? '{}' : entries.map(([k, v]) => `${k}:${v}`).join(',');
  }
  return String(value);
}

/** JSON with object keys sorted, so equal specs give equal strings whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
