import type { OptionValue, SweepRequest } from '../api/labApi';
import type { RunSpec } from '../../shared/runSpec';
import { normalizeRunSpec } from './normalizeRunSpec';
import { RunSpecError } from './runSpecError';

/**
 * The runs of a sweep: optimizers × (each optimizer's grid, cross product) × seeds, in that order
 * (by optimizer entry, then grid combination with the last grid key varying fastest, then seed). Every
 * spec goes through normalizeRunSpec, so one bad optimizer or option refuses the whole sweep before
 * anything is written; the error's field is a path into the request (`optimizers.1.grid.lr`).
 *
 * Runs with the same seed are paired: the engine draws initial weights and batches from the seed alone,
 * so they differ only in the optimizer and its options.
 */
export function expandSweep(request: SweepRequest): RunSpec[] {
  if (request.optimizers.length === 0) throw new RunSpecError('optimizers', 'optimizers: give at least one optimizer');
  if (request.seeds.length === 0) throw new RunSpecError('seeds', 'seeds: give at least one seed');
  const specs: RunSpec[] = [];
  request.optimizers.forEach((entry, index) => {
    const grid = Object.entries(entry.grid ?? {});
    for (const [key, values] of grid) {
      if (values.length === 0) throw new RunSpecError(`optimizers.${index}.grid.${key}`, `grid ${key}: give at least one value`);
      if (entry.options && Object.hasOwn(entry.options, key)) {
        throw new RunSpecError(`optimizers.${index}.grid.${key}`, `${key} is both a fixed option and a grid option of ${entry.name}; give it once`);
      }
    }
    for (const combination of crossProduct(grid)) {
      for (const seed of request.seeds) {
        const input = { ...request.base, optimizer: entry.name, optimizerOptions: { ...entry.options, ...combination }, seed };
        try {
          specs.push(normalizeRunSpec(input));
        } catch (error) {
          if (error instanceof RunSpecError) throw new RunSpecError(sweepField(error.field, index, entry.grid ?? {}), error.message, { cause: error });
          throw error;
        }
      }
    }
  });
  return specs;
}

/** Every combination of one value per key, the last key varying fastest; one empty combination for no keys. */
function crossProduct(grid: [string, OptionValue[]][]): Record<string, OptionValue>[] {
  let combinations: Record<string, OptionValue>[] = [{}];
  for (const [key, values] of grid) {
    combinations = combinations.flatMap((partial) => values.map((value) => ({ ...partial, [key]: value })));
  }
  return combinations;
}

/** A run spec's field as a path into the sweep request. */
function sweepField(field: string, index: number, grid: Record<string, OptionValue[]>): string {
  if (field === 'optimizer') return `optimizers.${index}.name`;
  if (field === 'optimizerOptions') return `optimizers.${index}`;
  if (field.startsWith('optimizerOptions.')) {
    const key = field.slice('optimizerOptions.'.length);
    return `optimizers.${index}.${Object.hasOwn(grid, key) ? 'grid' : 'options'}.${key}`;
  }
  if (field === 'seed') return 'seeds';
  return `base.${field}`;
}
