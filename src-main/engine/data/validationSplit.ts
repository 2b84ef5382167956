/**
 * Holding out a validation set from a source that has none (a single IDX file, a CSV table): a seeded
 * permutation picks round(n × fraction) rows; both parts keep the rows in file order, so the result
 * depends only on the data, the fraction and the seed.
 */
import { UserInputError } from '../errors';
import { Rng } from '../rng';
import type { Split } from './dataset';
import { takeRows } from './subset';

export const DEFAULT_VALIDATION_FRACTION = 0.1;

export function holdOutValidation(
  all: Split,
  fraction: number,
  seed: number,
  source: string,
): { train: Split; validation: Split } {
  if (all.n < 2) {
    throw new UserInputError(`${source}: ${all.n} example(s) is too few to split off a validation set`);
  }
  // At least one row on each side, whatever the fraction.
  const validationCount = Math.min(all.n - 1, Math.max(1, Math.round(all.n * fraction)));
  const permutation = Rng.derive(seed, 'validation-split').permutation(all.n);
  const validationRows = permutation.slice(0, validationCount).sort();
  const trainRows = permutation.slice(validationCount).sort();
  return { train: takeRows(all, trainRows), validation: takeRows(all, validationRows) };
}
