import { OptimizerOptionError } from '../errors';
import type { Optimizer, OptimizerDefinition, OptimizerOptions } from './optimizer';
import { adagradDefinition } from './adagrad';
import { adamDefinition } from './adam';
import { adamwDefinition } from './adamw';
import { curveballDefinition } from './curveball';
import { hessianFreeDefinition } from './hessianFree';
import { momentumDefinition } from './momentum';
import { rmspropDefinition } from './rmsprop';
import { sgdDefinition } from './sgd';

export { parseOptionValue } from './optionValues';

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

export const optimizerNames: readonly string[] = definitions.map((d) => d.name);

export function getOptimizerDefinition(name: string): OptimizerDefinition {
  const definition = definitions.find((d) => d.name === name);
  if (!definition) {
    throw new OptimizerOptionError(`unknown optimizer "${name}"; valid optimizers: ${optimizerNames.join(', ')}`);
  }
  return definition;
}

/** An optimizer from its name and options (validated; missing options take their defaults). */
export function createOptimizer(name: string, options: OptimizerOptions = {}): Optimizer {
  return getOptimizerDefinition(name).create(options);
}
