import type { ModelSpec } from './modelSpec';
import type { OptionValue } from './optimizerDescriptor';
import type { RunSpec } from './runSpec';
import { runSpecLimits } from './runSpecLimits';

/**
 * The bounds of a study spec beyond a run request's (whose seed, optimizer and grid bounds it shares):
 * the lab's study schema enforces them and the UI shows them from here.
 */
export const studySpecLimits = {
  ...runSpecLimits,
  /** Entries of `architectures` (a random entry counts once, whatever its count). */
  maxArchitectures: 50,
  /** Networks one random entry generates. */
  maxRandomCount: 500,
  /** Runs one study expands to: architectures × optimizer runs (lr-grid values) × seeds. */
  maxRuns: 5000,
  maxLabel: 80,
  maxTargets: 10,
} as const;

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
  /** Draw each epoch's batches in a new order (default true, as a run). */
  shuffle?: boolean;
  /** Initial weights, as a run's `init` (default: each layer's own; `he` for He normal kernels). */
  init?: RunSpec['init'];
  architectures: StudyArchitecture[];
  optimizers: StudyOptimizer[];
  /** Every cell runs once per seed; runs with one seed are paired across optimizers. */
  seeds: number[];
  /** How long each run trains: epochs, or steps (an architecture may have its own). */
  budget: StudyBudget;
  batchSize: number | 'full';
  /**
   * A run diverges when its batch loss exceeds this × its first step's loss (or is not finite); it
   * counts as a failure. 'off' keeps only the second rule. Default: the run default.
   */
  divergenceFactor?: RunSpec['divergenceFactor'];
  /** How often each run saves a checkpoint; default: the run default. */
  checkpointEvery?: RunSpec['checkpointEvery'];
  /** Time-to-target: the steps, passes and seconds each run takes to reach each of these. */
  targets?: StudyTarget[];
}

export type StudyBudget = { epochs: number } | { steps: number };

/**
 * One architecture of a study: a preset (with options; label default `preset (k=v, …)`), a full model
 * spec, or `count` random ones (network k is the `random` preset with archSeed seed + k, labelled
 * `random #<archSeed>`). A preset or spec may have its own budget: the reference code trains each
 * standard network for its own number of epochs.
 */
export type StudyArchitecture =
  | { label?: string; preset: string; options?: Record<string, string>; budget?: StudyBudget }
  | { label: string; spec: ModelSpec; budget?: StudyBudget }
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

/**
 * The table's rows an architecture entry gives, by label: its label; a preset's default `preset (k=v, …)`;
 * a random entry's `random #<archSeed>` per network. The lab requires them unique in a study.
 */
export function architectureLabels(entry: StudyArchitecture): string[] {
  if ('random' in entry) return Array.from({ length: entry.random.count }, (_, k) => `random #${entry.random.seed + k}`);
  if ('spec' in entry) return [entry.label];
  const options = Object.entries(entry.options ?? {}).map(([k, v]) => `${k}=${v}`);
  return [entry.label ?? (options.length === 0 ? entry.preset : `${entry.preset} (${options.join(', ')})`)];
}

/** The table's column an optimizer entry gives: its label, else the optimizer's name (unique in a study). */
export function optimizerLabel(entry: StudyOptimizer): string {
  return entry.label ?? entry.name;
}
