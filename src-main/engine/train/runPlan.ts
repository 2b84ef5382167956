import type { Dataset, Split } from '../data/dataset';
import { seededSubset } from '../data/subset';
import { RunSpecFieldError } from '../errors';
import type { Model } from '../nn/model';
import { checkTrainingMemory } from '../nn/trainingMemory';
import { bracketedShape } from '../nn/shapes';
import { Rng } from '../rng';
import type { RunSpec } from '../../shared/runSpec';
import { buildModel, datasetIO } from './buildModel';

/** What a run trains: its network, the examples it trains and validates on, and whether it augments them. */
export interface RunPlan {
  model: Model;
  train: Split;
  validation: Split;
  augment: boolean;
}

/** The run spec's fields that choose its examples. */
export type RunDataFields = Pick<RunSpec, 'trainSize' | 'valSize' | 'augment'>;

/** What the data rules need of a dataset: its examples' shape and, where known, the sizes of its splits. */
export interface DataFacts {
  inputShape: number[];
  trainSize?: number;
  validationSize?: number;
}

export interface RunDataIssue {
  field: 'trainSize' | 'valSize' | 'augment';
  message: string;
}

/**
 * Everything wrong with a run's data fields for a dataset: a subset larger than its split (checked where
 * the split's size is known), augmentation of examples that are not images. The one copy of these rules:
 * the lab's request check runs it on a registered dataset's facts, planRun on the loaded data.
 */
export function runDataIssues(fields: RunDataFields, facts: DataFacts): RunDataIssue[] {
  const issues: RunDataIssue[] = [];
  const subset = (field: 'trainSize' | 'valSize', size: number | undefined, available: number | undefined, split: string): void => {
    if (size !== undefined && available !== undefined && size > available) {
      issues.push({ field, message: `expected at most ${available} (the size of the ${split} split)` });
    }
  };
  subset('trainSize', fields.trainSize, facts.trainSize, 'training');
  subset('valSize', fields.valSize, facts.validationSize, 'validation');
  if (fields.augment === true && facts.inputShape.length !== 3) {
    issues.push({
      field: 'augment',
      message: `augmentation flips and shifts images, but this dataset's examples have the shape ${bracketedShape(facts.inputShape)}`,
    });
  }
  return issues;
}

/**
 * A run's network and examples, checked against the loaded dataset: the model (buildModel), then the
 * data fields (runDataIssues; a RunSpecFieldError names the first at fault), then the memory training
 * it would take (checkTrainingMemory, before any weight is drawn). The subsets are drawn from
 * the run's seed alone, each split from its own generator, so every optimizer of a seed trains and
 * validates on the same examples. Augmentation follows the spec, else the dataset's default. The trainer
 * and a dry run both plan a run with it.
 */
export function planRun(spec: RunSpec, dataset: Dataset, memoryLimitBytes?: number): RunPlan {
  const model = buildModel(spec.arch, spec.archOptions, datasetIO(dataset));
  const issue = runDataIssues(spec, { inputShape: dataset.inputShape, trainSize: dataset.train.n, validationSize: dataset.validation.n })[0];
  if (issue) throw new RunSpecFieldError(issue.message, issue.field);
  const subset = (split: Split, size: number | undefined, purpose: string): Split =>
    size === undefined ? split : seededSubset(split, size, Rng.derive(spec.seed, purpose));
  const train = subset(dataset.train, spec.trainSize, 'train-subset');
  checkTrainingMemory(model, { batchSize: spec.batchSize, examples: train.n }, 'arch', memoryLimitBytes);
  return {
    model,
    train,
    validation: subset(dataset.validation, spec.valSize, 'validation-subset'),
    augment: spec.augment ?? dataset.augment,
  };
}
