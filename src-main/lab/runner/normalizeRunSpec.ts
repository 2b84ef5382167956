import type { RunSpecInput } from '../api/labApi';
import { UserInputError } from '../../engine/errors';
import { describePresets } from '../../engine/nn/presets';
import type { OptimizerDefinition } from '../../engine/optim/optimizer';
import { resolveOptions } from '../../engine/optim/optionValues';
import { createOptimizer, getOptimizerDefinition } from '../../engine/optim/registry';
import { defaultRunSpec, type RunSpec } from '../../shared/runSpec';
import { RunSpecError } from './runSpecError';

/**
 * A complete run spec from a request: the engine's defaults filled in (epochs 1 when neither epochs
 * nor steps is given) and everything that can be checked without the dataset checked here, so a bad
 * request fails before the lab writes a run row or starts a worker. Throws RunSpecError naming the field.
 *
 * Checked here: the bound (exactly one of epochs and steps), batch size, seed, init, the optimizer's
 * name and options (through the engine's registry, the same checks the worker's createOptimizer makes),
 * and a preset's name and option names. Left to the worker, which has the dataset: a full model spec and
 * preset option values (both need the input shape), the dataset itself and a CSV target.
 *
 * Optimizer options are kept as given (defaults are not written into the spec), as `curvelab train`
 * stores them: the optimizer fills its own defaults when the run starts.
 */
export function normalizeRunSpec(input: RunSpecInput): RunSpec {
  if (typeof input.dataset !== 'string' || input.dataset.trim() === '') {
    throw new RunSpecError('dataset', 'dataset: expected "mnist" or a path to a dataset file or folder');
  }
  if (input.epochs !== undefined && input.steps !== undefined) {
    throw new RunSpecError('steps', 'give epochs or steps, not both');
  }
  if (input.epochs !== undefined) positiveInteger('epochs', input.epochs);
  if (input.steps !== undefined) positiveInteger('steps', input.steps);
  const batchSize = input.batchSize ?? defaultRunSpec.batchSize;
  if (batchSize !== 'full') positiveInteger('batchSize', batchSize);
  const seed = input.seed ?? defaultRunSpec.seed;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RunSpecError('seed', `seed: expected a non-negative integer, got ${JSON.stringify(seed)}`);
  }
  const init = input.init ?? defaultRunSpec.init;
  if (init !== 'default' && init !== 'zeros') {
    throw new RunSpecError('init', `init: expected "default" or "zeros", got ${JSON.stringify(init)}`);
  }
  const archOptions = { ...(input.archOptions ?? defaultRunSpec.archOptions) };
  checkPreset(input.arch, archOptions);
  const optimizerOptions = { ...(input.optimizerOptions ?? defaultRunSpec.optimizerOptions) };
  const definition = checkOptimizer(input.optimizer, optimizerOptions);

  return {
    dataset: input.dataset,
    ...(input.target !== undefined ? { target: input.target } : {}),
    arch: input.arch,
    archOptions,
    optimizer: definition.name,
    optimizerOptions,
    ...(input.steps !== undefined ? { steps: input.steps } : { epochs: input.epochs ?? 1 }),
    batchSize,
    shuffle: input.shuffle ?? defaultRunSpec.shuffle,
    init,
    seed,
  };
}

function positiveInteger(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RunSpecError(field, `${field}: expected a positive integer, got ${JSON.stringify(value)}`);
  }
}

/** A preset must exist and take every option given; a model spec (an object) is checked by the worker. */
function checkPreset(arch: RunSpecInput['arch'], archOptions: Record<string, string>): void {
  if (typeof arch !== 'string') {
    if (arch === null || typeof arch !== 'object' || Array.isArray(arch)) {
      throw new RunSpecError('arch', 'arch: expected a preset name or a model spec object');
    }
    return;
  }
  const presets = describePresets();
  const preset = presets.find((p) => p.name === arch);
  if (!preset) {
    throw new RunSpecError('arch', `unknown architecture preset "${arch}"; the presets are ${presets.map((p) => p.name).join(', ')}`);
  }
  const known = preset.options.map((o) => o.name);
  for (const key of Object.keys(archOptions)) {
    if (!known.includes(key)) {
      const valid = known.length > 0 ? `its options are ${known.join(', ')}` : 'it takes no options';
      throw new RunSpecError(`archOptions.${key}`, `preset ${arch}: unknown option "${key}"; ${valid}`);
    }
  }
}

/**
 * The optimizer must exist and accept the options. Each option is checked alone first, so the error
 * names the field exactly; then the optimizer is created once for the checks across options (CurveBall's
 * lr and momentum go together, lambdaLow ≤ lambdaHigh, …). Creating one allocates no tensors.
 */
function checkOptimizer(name: string, options: Record<string, number | boolean>): OptimizerDefinition {
  const definition = asRunSpecError('optimizer', () => getOptimizerDefinition(name));
  for (const [key, value] of Object.entries(options)) {
    const descriptor = definition.options.find((d) => d.name === key);
    const field = `optimizerOptions.${key}`;
    if (!descriptor) {
      const valid = definition.options.map((d) => d.name).join(', ') || '(none)';
      throw new RunSpecError(field, `${definition.name} has no option "${key}"; valid options: ${valid}`);
    }
    asRunSpecError(field, () => resolveOptions({ name: definition.name, options: [descriptor] }, { [key]: value }));
  }
  asRunSpecError('optimizerOptions', () => createOptimizer(definition.name, options));
  return definition;
}

/** Runs a check of the engine's and gives its UserInputError the field it is about. */
function asRunSpecError<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof UserInputError && !(error instanceof RunSpecError)) throw new RunSpecError(field, error.message, { cause: error });
    throw error;
  }
}
