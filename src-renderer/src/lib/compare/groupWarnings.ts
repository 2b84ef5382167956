import type { RunInfo } from '$api/labApi';
import { configKeyLabel, configKeysOf, configText, varyingConfigKeys, type ConfigKey } from '../runs/runConfigKeys';

/** A config key whose value is not the same for every run of a group, and the values it takes there. */
export interface MixedKey {
  key: ConfigKey;
  label: string;
  values: string[];
}

/** Architectures and datasets pooled together make a mean that describes no model: these warnings come first. */
const severe: readonly ConfigKey[] = ['arch', 'dataset'];

/**
 * What a group pools that the grouping did not ask for: every config key outside `groupedBy` whose value
 * differs among the group's runs, but the seed (pooling seeds is what a group is for). Architecture and
 * dataset first, then in config key order. Empty for a single run or a group that is honest.
 */
export function mixedKeys(runs: readonly RunInfo[], groupedBy: readonly ConfigKey[]): MixedKey[] {
  if (runs.length < 2) return [];
  const keys = varyingConfigKeys(runs, configKeysOf(runs)).filter((key) => key !== 'seed' && !groupedBy.includes(key));
  keys.sort((a, b) => rank(a) - rank(b));
  return keys.map((key) => ({ key, label: configKeyLabel(key), values: [...new Set(runs.map((run) => configText(run, key)))] }));
}

function rank(key: ConfigKey): number {
  const i = severe.indexOf(key);
  return i < 0 ? severe.length : i;
}

/** `mixes arch (mlp, basic-cnn), lr (0.1, default)` */
export function mixedKeysText(mixed: readonly MixedKey[]): string {
  return `mixes ${mixed.map((m) => `${m.label} (${m.values.join(', ')})`).join(', ')}`;
}
