import type { RunInfo } from '$api/labApi';
import { configKeyLabel, configKeysOf, configText, varyingConfigKeys, type ConfigKey } from './runConfigKeys';

export interface ConfigDiffRow {
  key: ConfigKey;
  label: string;
  /** The value in each run, in the order of the runs given. */
  values: string[];
}

export interface ConfigDiff {
  rows: ConfigDiffRow[];
  /** How many config keys hold the same value in every run (left out of `rows`). */
  sameCount: number;
}

/** What differs among these runs' configs, key by key in config key order; keys they agree on are only counted. */
export function configDiff(runs: readonly RunInfo[]): ConfigDiff {
  const keys = configKeysOf(runs);
  const rows = varyingConfigKeys(runs, keys).map((key) => ({ key, label: configKeyLabel(key), values: runs.map((run) => configText(run, key)) }));
  return { rows, sameCount: keys.length - rows.length };
}
