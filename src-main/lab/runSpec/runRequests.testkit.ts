import type { RunSpecInput, RunsRequest } from '../api/labApi';
import { acceptedRuns, normalizeRuns, requestStructure, type CheckedRunSpec, type DatasetFacts } from './normalizeRuns';

/** Test helpers: single runs as the one-optimizer, one-seed requests that ask for them. */

/** MNIST's shapes, as the registry gives them: 28×28 grey images, ten classes. */
export const mnistShapes = { inputShape: [28, 28, 1], outputSize: 10 };

/** One run spec as the request that asks for it (seed 0 when not given). */
export function oneRunRequest({ optimizer, optimizerOptions, seed, ...base }: RunSpecInput): RunsRequest {
  return { base, optimizers: [{ name: optimizer, ...(optimizerOptions ? { options: optimizerOptions } : {}) }], seeds: [seed ?? 0] };
}

/** The one run of that request, through the schema and normalizeRuns as the lab checks it (throws RunSpecError). */
export function checkedRunSpec(input: RunSpecInput, dataset: DatasetFacts = mnistShapes): CheckedRunSpec {
  const [spec, ...more] = acceptedRuns(normalizeRuns(requestStructure(oneRunRequest(input)), dataset));
  if (!spec || more.length > 0) throw new Error('expected exactly one run');
  return spec;
}
