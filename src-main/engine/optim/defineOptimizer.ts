import { OptimizerOptionError } from '../errors';
import type { OptimizerDescriptor, OptionValue } from '../../shared/optimizerDescriptor';
import type { Optimizer } from './optimizer';
import { optionDescriptors, optionIssues, type OptionIssue, type OptionSchema, type OptionSettings } from './optionSchema';

/** Options as a run spec gives them: a subset of an optimizer's options, by name. */
export type OptimizerOptions = Record<string, OptionValue>;

/** A rule across options: the message when the settings break it, null when they keep it. */
export type OptionRule<S extends OptionSchema> = (settings: OptionSettings<S>) => string | null;

export interface OptimizerDeclaration<S extends OptionSchema> {
  name: string;
  description: string;
  /** The names its steps may report in their trace (ratio-like values only on some steps). */
  traces: readonly string[];
  options: S;
  /** Checked, in order, once every option alone is valid. */
  rules?: readonly OptionRule<S>[];
  /**
   * Its steps read numbers back from the backend and wait for them (a line search, CG's step sizes):
   * fine in Node, where a read may wait for the GPU, impossible in a page, where it cannot.
   */
  readsEachStep?: boolean;
  create(settings: OptionSettings<S>): Omit<Optimizer, 'name'>;
}

/** A named optimizer family: what it says about itself, and a factory that checks its options. */
export interface OptimizerDefinition {
  readonly descriptor: OptimizerDescriptor;
  /** OptimizerDeclaration.readsEachStep. */
  readonly readsEachStep: boolean;
  /** Every issue with the options: each bad option, then (when each is fine alone) each broken rule. */
  check(options: Record<string, unknown>): OptionIssue[];
  /** The optimizer with these options and the defaults for the others; throws the first issue. */
  create(options?: Record<string, unknown>): Optimizer;
}

/** An optimizer family from one declaration of its options, whose types give `create` its settings. */
export function defineOptimizer<S extends OptionSchema>(declaration: OptimizerDeclaration<S>): OptimizerDefinition {
  const descriptor: OptimizerDescriptor = {
    name: declaration.name,
    description: declaration.description,
    options: optionDescriptors(declaration.options),
    traces: [...declaration.traces],
  };

  const resolve = (given: Record<string, unknown>): { settings: OptionSettings<S>; issues: OptionIssue[] } => {
    const settings = Object.fromEntries(
      Object.entries(declaration.options).map(([name, spec]) => [name, Object.hasOwn(given, name) ? given[name] : spec.default]),
    ) as OptionSettings<S>;
    const issues = optionIssues(descriptor.name, descriptor.options, given);
    if (issues.length > 0) return { settings, issues };
    const broken = (declaration.rules ?? []).map((rule) => rule(settings)).filter((message) => message !== null);
    return { settings, issues: broken.map((message) => ({ option: null, message })) };
  };

  return {
    descriptor,
    readsEachStep: declaration.readsEachStep ?? false,
    check: (options) => resolve(options).issues,
    create(options = {}) {
      const { settings, issues } = resolve(options);
      if (issues.length > 0) throw new OptimizerOptionError(issues[0].message);
      return { name: descriptor.name, ...declaration.create(settings) };
    },
  };
}
