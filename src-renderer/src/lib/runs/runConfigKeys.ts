/**
 * A run's configuration as flat keys, the one vocabulary that grouping (Compare), hyperparameter
 * columns, filter expressions and the config diff (Runs) share:
 * - `optimizer`;
 * - every run spec field but the two option records (`dataset`, `arch`, `batchSize`, `seed`, …);
 * - `opt.<name>`: one optimizer option (`opt.lr`), `arch.<name>`: one architecture option (`arch.widths`).
 */
import type { RunInfo, RunSpec } from '$api/labApi';
import { datasetName } from '$shared/datasetName';

export type ConfigKey = string;

/** Spec fields (besides optimizer, options and seed) that can tell runs apart in a label (how often a run saves a checkpoint cannot: its curves are the same). */
export type SpecField = Exclude<keyof RunSpec, 'optimizer' | 'optimizerOptions' | 'seed' | 'checkpointEvery'>;
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
  initFrom: true,
  trainSize: true,
  valSize: true,
  augment: true,
  divergenceFactor: true,
};
export const specFields = Object.keys(labelled) as SpecField[];

const optionPrefix = 'opt.';
const archPrefix = 'arch.';
/** The spec fields that are keys of their own (archOptions is split into `arch.<name>` keys). */
const plainFields = [...specFields.filter((f) => f !== 'archOptions'), 'seed'] as const;

/**
 * Every key any of these runs has, in reading order: optimizer, dataset, arch, the architecture options,
 * the optimizer options, then the remaining spec fields (seed last).
 */
export function configKeysOf(runs: readonly RunInfo[]): ConfigKey[] {
  const archOptions = new Set<string>();
  const optimizerOptions = new Set<string>();
  for (const run of runs) {
    for (const name of Object.keys(run.spec.archOptions ?? {})) archOptions.add(name);
    for (const name of Object.keys(run.spec.optimizerOptions ?? {})) optimizerOptions.add(name);
  }
  const rest = plainFields.filter((f) => f !== 'dataset' && f !== 'arch' && runs.some((run) => run.spec[f] !== undefined));
  return [
    'optimizer',
    'dataset',
    'arch',
    ...[...archOptions].sort().map((n) => archPrefix + n),
    ...[...optimizerOptions].sort().map((n) => optionPrefix + n),
    ...rest,
  ];
}

/** Whether `key` names something a run config can hold (an option key needs a name). */
export function isConfigKey(key: string): boolean {
  if (key.startsWith(optionPrefix)) return key.length > optionPrefix.length;
  if (key.startsWith(archPrefix)) return key.length > archPrefix.length;
  return key === 'optimizer' || (plainFields as readonly string[]).includes(key);
}

/** The raw value of a key in a run; undefined when the run does not set it (the default applies). */
export function configValue(run: RunInfo, key: ConfigKey): unknown {
  if (key === 'optimizer') return run.optimizer;
  if (key.startsWith(optionPrefix)) return run.spec.optimizerOptions?.[key.slice(optionPrefix.length)];
  if (key.startsWith(archPrefix)) return run.spec.archOptions?.[key.slice(archPrefix.length)];
  return run.spec[key as keyof RunSpec];
}

/** Whether `key` is a spec field the run leaves unset (its default applies); an option left unset is not: it reads `default`. */
export function isUnsetSpecField(run: RunInfo, key: ConfigKey): boolean {
  return (plainFields as readonly string[]).includes(key) && configValue(run, key) === undefined;
}

/** A key as a column or label names it: an option by its own name (`lr`, `widths`). */
export function configKeyLabel(key: ConfigKey): string {
  if (key.startsWith(optionPrefix)) return key.slice(optionPrefix.length);
  if (key.startsWith(archPrefix)) return key.slice(archPrefix.length);
  return key;
}

/** The value as text: `default` for an option left unset, `-` for an absent spec field, a dataset path's last part. */
export function configText(run: RunInfo, key: ConfigKey): string {
  const value = configValue(run, key);
  if (value === undefined) return key.startsWith(optionPrefix) || key.startsWith(archPrefix) ? 'default' : '-';
  return valueText(key, value);
}

/** A spec field's text as labels show it (for `archOptions`, `widths:32,32`). */
export function specFieldText(spec: RunSpec, field: SpecField): string {
  const value = spec[field];
  if (value === undefined) return '-';
  if (field === 'archOptions' && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, string>).sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? '{}' : entries.map(([k, v]) => `${k}:${v}`).join(',');
  }
  return valueText(field, value);
}

function valueText(key: string, value: unknown): string {
  if (key === 'dataset' && typeof value === 'string') return datasetName(value);
  if (key === 'arch' && typeof value !== 'string') return 'custom';
  if (typeof value === 'number') return numberText(value);
  return typeof value === 'object' && value !== null ? stableJson(value) : String(value);
}

/**
 * A number to 12 significant digits: a value computed in a script (0.05 × 3) reads 0.15, not
 * 0.15000000000000002, while any two values someone chose stay apart. Only the text: runs are grouped
 * and compared by their exact values (configValueId).
 */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(12))) : String(value);
}

/** Two runs hold the same value for a key (objects compared by content, not key order). */
export function configValueId(run: RunInfo, key: ConfigKey): string {
  return stableJson(configValue(run, key) ?? null);
}

/** The keys whose values are not all the same among these runs. */
export function varyingConfigKeys(runs: readonly RunInfo[], keys: readonly ConfigKey[] = configKeysOf(runs)): ConfigKey[] {
  return keys.filter((key) => new Set(runs.map((run) => configValueId(run, key))).size > 1);
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
