import type { ModelSpec } from './modelSpec';

/**
 * Everything that defines a training run, as given by the user: serialisable, so the store can keep it
 * and a run can be repeated exactly. Two runs that differ only in `optimizer`/`optimizerOptions` see the
 * same initial weights and the same batches (both are drawn from `seed` alone).
 */
export interface RunSpec {
  /** `mnist` (embedded) or a path; see data/loadDataset. */
  dataset: string;
  /** CSV only: the target column(s). */
  target?: string;
  /** A preset name or a full model spec. */
  arch: string | ModelSpec;
  /** Preset options (e.g. widths=512,512). */
  archOptions: Record<string, string>;
  optimizer: string;
  optimizerOptions: Record<string, number | boolean>;
  /** Exactly one of epochs and steps bounds the run. */
  epochs?: number;
  steps?: number;
  batchSize: number | 'full';
  shuffle: boolean;
  init: 'default' | 'zeros';
  seed: number;
}

export const defaultRunSpec: Omit<RunSpec, 'dataset' | 'arch' | 'optimizer'> = {
  archOptions: {},
  optimizerOptions: {},
  batchSize: 64,
  shuffle: true,
  init: 'default',
  seed: 0,
};
