import type { ModelSpec } from './modelSpec';
import type { OptionValue } from './optimizerDescriptor';

/**
 * A study: the unit of work a researcher reports. Architectures × optimizers (× a learning-rate grid for
 * the baselines) × seeds on one dataset and budget, expanded into paired runs (one seed gives every
 * optimizer the same initial weights and batch order) and summarised as a table. Plain JSON: what a
 * study spec file holds, what the lab stores with the study's experiment, what the UI edits.
 */
export interface StudySpec {
  /** The study's experiment name; default from the dataset and the built-in or spec file. */
  name?: string;
  /** `mnist` (embedded) or a path the lab can read, as in a run spec. */
  dataset: string;
  /** CSV only: the target column(s). */
  target?: string;
  /** Train on a seeded subset of this many examples, and validate on this many (default: all). */
  trainSize?: number;
  valSize?: number;
  /** Random flips and crops while training (default: the dataset's own default). */
  augment?: boolean;
  architectures: StudyArchitecture[];
  optimizers: StudyOptimizer[];
  /** Every cell runs once per seed; runs with one seed are paired across optimizers. */
  seeds: number[];
  /** How long each run trains: epochs, or steps. */
  budget: { epochs: number } | { steps: number };
  batchSize: number | 'full';
  /**
   * A run diverges when its batch loss exceeds this × its first step's loss (or is not finite); it
   * counts as a failure. Default: the run default.
   */
  divergenceFactor?: number;
  /** Time-to-target: the steps, passes and seconds each run takes to reach each of these. */
  targets?: StudyTarget[];
}

/** One architecture of a study: a preset (with options), a full model spec, or `count` random ones. */
export type StudyArchitecture =
  | { label?: string; preset: string; options?: Record<string, string> }
  | { label: string; spec: ModelSpec }
  | { random: { count: number; seed: number } };

/**
 * One optimizer of a study, under its label (two entries may share an optimizer: `CurveBall-λ` and
 * `CurveBall` with `autoLambda: false`). With `lrGrid`, each value is run and the report keeps the one
 * with the best validation result per architecture, as DeepOBS does for baselines.
 */
export interface StudyOptimizer {
  label?: string;
  name: string;
  options?: Record<string, OptionValue>;
  lrGrid?: number[];
}

/** A level to reach: a training loss at most `value`, or a validation accuracy at least `value`. */
export interface StudyTarget {
  metric: 'trainLoss' | 'valAccuracy';
  value: number;
}
