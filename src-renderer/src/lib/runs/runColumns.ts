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

/** Selection checkbox + sortable columns + actions. */
export const runTableColumnCount = runColumns.length + 2;
