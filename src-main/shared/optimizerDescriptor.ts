/**
 * What an optimizer says about itself, as plain JSON: the engine derives it from each optimizer's typed
 * option schema (engine/optim/defineOptimizer.ts), the Lab API hands it to clients as it is, and the CLI
 * prints its help from it. Only the engine checks option values against it.
 */

/** The value of one optimizer option: a choice option's value is one of its choices' names. */
export type OptionValue = number | boolean | string;

export interface OptionDescriptor {
  name: string;
  type: 'number' | 'boolean' | 'integer' | 'choice';
  /** null: not set by default (e.g. CurveBall's automatic lr and momentum). */
  default: OptionValue | null;
  description: string;
  /** Bounds, inclusive unless the matching `exclusive…` flag is set (e.g. Adam's β₁ < 1). */
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** A choice option's values (e.g. a learning-rate schedule's kinds); its default is one of them. */
  choices?: string[];
}

export interface OptimizerDescriptor {
  name: string;
  description: string;
  options: OptionDescriptor[];
  /** The names its steps may report in their trace (ratio-like values only on some steps). */
  traces: string[];
}
