import type { CheckpointEvery } from './checkpointEvery';
import type { ModelSpec } from './modelSpec';
import type { OptionValue } from './optimizerDescriptor';

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
  optimizerOptions: Record<string, OptionValue>;
  /** Exactly one of epochs and steps bounds the run. */
  epochs?: number;
  steps?: number;
  batchSize: number | 'full';
  shuffle: boolean;
  /** Initial weights: each layer's own (Glorot-uniform kernels), all zeros, or He (Kaiming) normal kernels. */
  init: 'default' | 'zeros' | 'he';
  /**
   * Start from the weights in this safetensors file (a path on the machine that trains the run, e.g. an
   * exported run's weights) instead of drawing them: `init` is then unused. They must be this model's.
   */
  initFrom?: string;
  seed: number;
  /**
   * Train on this many training examples, and validate on this many validation examples: subsets drawn
   * from `seed` alone (so every optimizer of a seed sees the same ones); absent, the whole split.
   */
  trainSize?: number;
  valSize?: number;
  /** Flip-and-shift augmentation of the training images; absent, the dataset's own default (on for CIFAR). */
  augment?: boolean;
  /**
   * A run is `diverged` when a batch loss is not finite or exceeds this many times its first step's
   * loss; 'off' keeps only the first rule. Absent, defaultDivergenceFactor.
   */
  divergenceFactor?: number | 'off';
  /** How often the run saves a checkpoint to resume from; absent, defaultCheckpointEvery. Does not change its trajectory. */
  checkpointEvery?: CheckpointEvery;
}

/** A loss a thousand times its first step's has left any useful region: the run is diverged. */
export const defaultDivergenceFactor = 1000;

export const defaultRunSpec: Omit<RunSpec, 'dataset' | 'arch' | 'optimizer'> = {
  archOptions: {},
  optimizerOptions: {},
  batchSize: 64,
  shuffle: true,
  init: 'default',
  seed: 0,
};
