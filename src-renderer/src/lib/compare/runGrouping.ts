import type { RunInfo, RunSpec } from '$api/labApi';
import { configKeyLabel, configKeysOf, configText, configValueId, isConfigKey, isUnsetSpecField, specFields, specFieldText, stableJson, varyingConfigKeys, type ConfigKey, type SpecField } from '../runs/runConfigKeys';
import { mixedKeys, type MixedKey } from './groupWarnings';
import { paletteColor } from './palette';

export { stableJson, type SpecField };

/**
 * How the compare view pools runs into curves:
 * - `none`: one curve per run;
 * - `config`: runs whose specs agree on everything but the seed (the usual "mean over seeds");
 * - `keys`: runs that agree on these config keys (see runConfigKeys: `arch`, `dataset`, `opt.lr`, …);
 * - `optimizer` and `option` are the two groupings offered by name: keys `optimizer`, and `optimizer`
 *   plus `opt.<option>` (e.g. sgd with lr=0.1 vs sgd with lr=0.01).
 */
export type GroupBy = { kind: 'none' } | { kind: 'optimizer' } | { kind: 'config' } | { kind: 'option'; option: string } | { kind: 'keys'; keys: ConfigKey[] };

/** The config keys a grouping pools by; null for none (no pooling) and config (all keys but the seed). */
export function groupingKeys(groupBy: GroupBy): ConfigKey[] | null {
  switch (groupBy.kind) {
    case 'none':
    case 'config':
      return null;
    case 'optimizer':
      return ['optimizer'];
    case 'option':
      return ['optimizer', `opt.${groupBy.option}`];
    case 'keys':
      return groupBy.keys;
  }
}

/** The grouping by these keys, by its name when it has one (so the `<select>` shows it): none for no key. */
export function groupByKeys(keys: readonly ConfigKey[]): GroupBy {
  if (keys.length === 0) return { kind: 'none' };
  if (keys.length === 1 && keys[0] === 'optimizer') return { kind: 'optimizer' };
  if (keys.length === 2 && keys[0] === 'optimizer' && keys[1]!.startsWith('opt.')) return { kind: 'option', option: keys[1]!.slice('opt.'.length) };
  return { kind: 'keys', keys: [...keys] };
}

/** The `<select>` value of a grouping: `none`, `optimizer`, `config`, `option:<name>` or `keys:<key>,<key>…`. */
export function groupByValue(groupBy: GroupBy): string {
  if (groupBy.kind === 'option') return `option:${groupBy.option}`;
  if (groupBy.kind === 'keys') return `keys:${groupBy.keys.join(',')}`;
  return groupBy.kind;
}

/** The inverse of groupByValue; null for anything else. */
export function parseGroupBy(value: string): GroupBy | null {
  if (value === 'none' || value === 'optimizer' || value === 'config') return { kind: value };
  if (value.startsWith('option:') && value.length > 'option:'.length) return { kind: 'option', option: value.slice('option:'.length) };
  if (value.startsWith('keys:')) {
    const keys = value.slice('keys:'.length).split(',');
    if (keys.every(isConfigKey) && new Set(keys).size === keys.length) return groupByKeys(keys);
  }
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

/** Keys always offered to group by, whether or not they vary in this selection. */
const alwaysOffered: readonly ConfigKey[] = ['optimizer', 'arch', 'dataset', 'seed'];

/** The keys the user can tick to group by: optimizer, arch, dataset and seed, and every other key that varies among the runs. */
export function groupKeyChoices(runs: readonly RunInfo[]): { key: ConfigKey; label: string }[] {
  const varying = new Set(varyingConfigKeys(runs));
  const keys = configKeysOf(runs);
  if (!keys.includes('seed')) keys.push('seed');
  return keys.filter((key) => alwaysOffered.includes(key) || varying.has(key)).map((key) => ({ key, label: configKeyLabel(key) }));
}

/** One curve on the chart: a single run, or a group of runs drawn as a mean with a band. */
export interface PlotEntry {
  /** Stable across refetches: `run:<id>` or `group:<grouping>:<values>`. */
  key: string;
  label: string;
  color: string;
  runIds: number[];
  /** True for a group (mean and band), false for one run drawn as is. */
  grouped: boolean;
  /** Config keys the grouping did not ask for that differ inside the group (see groupWarnings); empty for a run. */
  mixes: MixedKey[];
}

/** The curves to draw, in the order of the runs' ids (groups by their first run). */
export function plotEntries(runs: readonly RunInfo[], groupBy: GroupBy): PlotEntry[] {
  const ordered = [...runs].sort((a, b) => a.id - b.id);
  const varying = varyingSpecFields(ordered);
  if (groupBy.kind === 'none') {
    return ordered.map((run, position) => ({ key: `run:${run.id}`, label: runLabel(run, varying), color: paletteColor(position), runIds: [run.id], grouped: false, mixes: [] }));
  }
  const keys = groupingKeys(groupBy);
  const groups = new Map<string, { key: string; label: string; runs: RunInfo[] }>();
  for (const run of ordered) {
    const { key, label } = keys === null ? configIdentity(run, varying) : keysIdentity(run, keys);
    const existing = groups.get(key);
    if (existing) existing.runs.push(run);
    else groups.set(key, { key, label, runs: [run] });
  }
  // Colours by position among the groups, once they are all known (see palette.ts).
  return [...groups.values()].map((group, position) => ({
    key: group.key,
    label: group.label,
    color: paletteColor(position),
    runIds: group.runs.map((r) => r.id),
    grouped: true,
    mixes: mixedKeys(group.runs, keys ?? []),
  }));
}

/**
 * `sgd lr=0.1 arch=mlp`: the optimizer by its name, every other key as key=value, leaving out spec fields
 * the run does not set (`steps=30`, not `epochs=- steps=30`); `epochs unset` when it sets none of them.
 */
function keysIdentity(run: RunInfo, keys: readonly ConfigKey[]): { key: string; label: string } {
  const parts = keys.filter((key) => !isUnsetSpecField(run, key)).map((key) => (key === 'optimizer' ? run.optimizer : `${configKeyLabel(key)}=${configText(run, key)}`));
  const label = parts.length > 0 ? parts.join(' ') : keys.map((key) => `${configKeyLabel(key)} unset`).join(' ');
  return { key: `group:${keys.join('+')}:${keys.map((key) => configValueId(run, key)).join('|')}`, label };
}

function configIdentity(run: RunInfo, varying: readonly SpecField[]): { key: string; label: string } {
  const { seed: _seed, ...rest } = run.spec;
  return { key: `group:config:${stableJson({ ...rest, optimizer: run.optimizer })}`, label: configLabel(run, varying) };
}

/** `#12 curveball lr=0.1 seed 0`, plus any spec field that differs among the selected runs. */
export function runLabel(run: RunInfo, varying: readonly SpecField[] = []): string {
  return `#${run.id} ${configLabel(run, varying)} seed ${run.spec.seed}`;
}

/** The optimizer, its options, and each varying spec field the run sets (one it leaves unset is left out). */
function configLabel(run: RunInfo, varying: readonly SpecField[]): string {
  const parts = [run.optimizer, ...optionParts(run.spec.optimizerOptions ?? {})];
  for (const field of varying) if (run.spec[field] !== undefined) parts.push(`${field}=${specFieldText(run.spec, field)}`);
  return parts.join(' ');
}

function optionParts(options: RunSpec['optimizerOptions']): string[] {
  return Object.keys(options)
    .sort()
    .map((name) => `${name}=${String(options[name])}`);
}

/** The spec fields whose values are not the same for all these runs: only those go into labels. */
export function varyingSpecFields(runs: readonly RunInfo[]): SpecField[] {
  return specFields.filter((field) => new Set(runs.map((run) => stableJson(run.spec[field] ?? null))).size > 1);
}
