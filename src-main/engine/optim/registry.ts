import { OptimizerOptionError } from '../errors';
import type { OptimizerDescriptor, OptionValue } from '../../shared/optimizerDescriptor';
import type { Optimizer } from './optimizer';
import type { OptimizerDefinition } from './defineOptimizer';
import { optionValueFromText, type OptionIssue } from './optionSchema';
import { adagradDefinition } from './adagrad';
import { adamDefinition } from './adam';
import { adamwDefinition } from './adamw';
import { curveballDefinition } from './curveball';
import { hessianFreeDefinition } from './hessianFree';
import { momentumDefinition } from './momentum';
import { rmspropDefinition } from './rmsprop';
import { sgdDefinition } from './sgd';

/** Every optimizer CurveLab offers, in the order the CLI and UI list them. */
const definitions: readonly OptimizerDefinition[] = [
  curveballDefinition,
  sgdDefinition,
  momentumDefinition,
  adamDefinition,
  adamwDefinition,
  rmspropDefinition,
  adagradDefinition,
  hessianFreeDefinition,
];

/** Every optimizer's descriptor, in listing order. */
export function optimizerDescriptors(): OptimizerDescriptor[] {
  return definitions.map((d) => d.descriptor);
}

export function getOptimizerDescriptor(name: string): OptimizerDescriptor {
  return definitionNamed(name).descriptor;
}

/** Whether the optimizer's steps wait for numbers read back from the backend (OptimizerDeclaration.readsEachStep). */
export function readsEachStep(name: string): boolean {
  return definitionNamed(name).readsEachStep;
}

/**
 * Everything wrong with options for an optimizer: each unknown option and each bad value, then (only
 * when every option alone is fine) each rule across options they break. Empty when createOptimizer
 * accepts them.
 */
export function checkOptimizerOptions(name: string, options: Record<string, unknown>): OptionIssue[] {
  return definitionNamed(name).check(options);
}

/** An optimizer from its name and options (validated; missing options take their defaults). */
export function createOptimizer(name: string, options: Record<string, unknown> = {}): Optimizer {
  return definitionNamed(name).create(options);
}

/** The value in the text of a CLI `--set key=value`: "true"/"false" for booleans, a number otherwise. */
export function parseOptionText(optimizer: string, key: string, text: string): OptionValue {
  const { name, options } = getOptimizerDescriptor(optimizer);
  return optionValueFromText(name, options, key, text);
}

function definitionNamed(name: string): OptimizerDefinition {
  const definition = definitions.find((d) => d.descriptor.name === name);
  if (!definition) {
    const valid = definitions.map((d) => d.descriptor.name).join(', ');
    throw new OptimizerOptionError(`unknown optimizer "${name}"; valid optimizers: ${valid}`);
  }
  return definition;
}

