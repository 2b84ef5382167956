/**
 * A dataset in memory: examples are rows of a Float32Array (per-example shape `inputShape`, images
 * height × width × channels). Classification targets are integer class indices; regression targets
 * are rows of `targetSize` floats.
 */
export type Task = 'classification' | 'regression';

export interface Split {
  /** n × prod(inputShape) values, row-major. */
  x: Float32Array;
  /** Class indices (classification) or n × targetSize values (regression). */
  y: Int32Array | Float32Array;
  n: number;
}

/**
 * The standardisation applied to the inputs: per channel (last axis of an image) or per feature
 * column (CSV), computed on the training split only and applied to both splits as (x − mean) / std.
 */
export interface NormalizationStats {
  mean: number[];
  /** The divisor actually used (a constant channel or column gets 1, see normalize.ts). */
  std: number[];
  /** What each entry is: channel names ("R", "G", "B") or CSV column names. */
  names: string[];
}

export interface Dataset {
  name: string;
  /** Where it came from: "embedded", or the file or folder path. */
  source: string;
  task: Task;
  inputShape: number[];
  /** Classification: number of classes. */
  numClasses: number;
  /** Regression: number of target columns (1 for classification: one label per example). */
  targetSize: number;
  train: Split;
  validation: Split;
  /** For image datasets of natural images (CIFAR): random flip and ±2 px shift during training. */
  augment: boolean;
  /** Human-readable class names when known. */
  classNames?: string[];
  /** CSV: the target column name(s). */
  targetNames?: string[];
  /** Set by loadDataset: the input standardisation, so it can be reported. */
  normalization?: NormalizationStats;
}
