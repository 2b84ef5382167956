import { createBeale } from './beale';
import { createNoisyRosenbrock } from './noisyRosenbrock';
import { createQuadratic } from './quadratic';
import { createRosenbrock } from './rosenbrock';
import type { FunctionId, TestFunction } from './testFunction';

/** The playground's functions, in the order the picker lists them. */
export const testFunctions: readonly TestFunction[] = [createQuadratic(), createRosenbrock(), createNoisyRosenbrock(), createBeale()];

export function testFunctionById(id: FunctionId): TestFunction {
  const fn = testFunctions.find((candidate) => candidate.id === id);
  if (!fn) throw new Error(`unknown test function "${id}"`);
  return fn;
}

export function isFunctionId(value: string): value is FunctionId {
  return testFunctions.some((fn) => fn.id === value);
}
