import { configKeyLabel, type ConfigKey } from './runConfigKeys';
import type { RunSortKey } from './runRows';

/** The sortable columns of the Runs table, in order. */
export interface RunColumn {
  key: RunSortKey;
  label: string;
  /** What the short label means, for the header's tooltip. */
  title?: string;
  numeric?: boolean;
}

export const runColumns: readonly RunColumn[] = [
  { key: 'id', label: 'Run' },
  { key: 'status', label: 'Status' },
  { key: 'optimizer', label: 'Optimizer' },
  { key: 'dataset', label: 'Dataset' },
  { key: 'architecture', label: 'Architecture' },
  { key: 'seed', label: 'Seed', numeric: true },
  { key: 'bestValAccuracy', label: 'Best acc', title: 'best validation accuracy over the epochs', numeric: true },
  { key: 'valAccuracy', label: 'Final acc', title: 'validation accuracy after the last epoch', numeric: true },
  { key: 'bestValLoss', label: 'Best loss', title: 'lowest validation loss over the epochs', numeric: true },
  { key: 'valLoss', label: 'Final loss', title: 'validation loss after the last epoch', numeric: true },
  { key: 'duration', label: 'Duration', numeric: true },
  { key: 'backend', label: 'Backend', title: 'the backend it trains on, and the curvelab worker when it trains through a queue' },
];

/** The keys shown as fixed columns already, so not offered as hyperparameter columns. */
export const fixedConfigKeys: readonly ConfigKey[] = ['optimizer', 'dataset', 'arch', 'seed'];

/** A hyperparameter column the user chose: a config key (runConfigKeys), sortable like the rest. */
export function paramColumn(key: ConfigKey): RunColumn {
  return { key: `param:${key}`, label: configKeyLabel(key), title: `the run's ${key}` };
}

/** The table's columns: the fixed ones, the chosen hyperparameters right after Seed. */
export function tableColumns(paramKeys: readonly ConfigKey[]): RunColumn[] {
  const afterSeed = runColumns.findIndex((c) => c.key === 'seed') + 1;
  return [...runColumns.slice(0, afterSeed), ...paramKeys.map(paramColumn), ...runColumns.slice(afterSeed)];
}
