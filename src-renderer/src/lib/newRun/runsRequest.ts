import type { DatasetInfo, OptimizerDescriptor, RunsRequest, SweepOptimizer } from '$api/labApi';
import { architectureFields, type ArchitectureChoice } from './architectureChoice';
import { parseNumberText } from './numberText';
import { optionsFromInputs, type OptionInput } from './optionInputs';
import { parseSeeds } from './seeds';

export type Bound = 'epochs' | 'steps';

/** Everything on the New run form, as the user typed it. */
export interface RunForm {
  dataset: DatasetInfo | null;
  architecture: ArchitectureChoice;
  /** The ticked optimizers with their option inputs, in the order shown. */
  optimizers: { descriptor: OptimizerDescriptor; inputs: Record<string, OptionInput> }[];
  seedsText: string;
  batchSizeText: string;
  bound: Bound;
  epochsText: string;
  stepsText: string;
  experimentName: string;
}

/**
 * Errors by form field: `dataset`, `architecture`, `archOption:<option>`, `optimizers`,
 * `optimizer:<optimizer>`, `option:<optimizer>.<option>`, `seeds`, `batchSize`, `epochs`, `steps`,
 * `experimentName`.
 */
export type FormErrors = Record<string, string>;

export type BuildResult = { ok: true; request: RunsRequest } | { ok: false; errors: FormErrors };

export const optionErrorKey = (optimizer: string, option: string): string => `option:${optimizer}.${option}`;
export const optimizerErrorKey = (optimizer: string): string => `optimizer:${optimizer}`;
export const archOptionErrorKey = (option: string): string => `archOption:${option}`;

/**
 * Reads the whole form into a startRuns request (one optimizer and one seed are a single run), or every
 * error at once. It only reads: nothing chosen, JSON or a seed list that does not parse, text that is
 * not a number. Whether the values are allowed is the lab's verdict (checkRuns).
 */
export function buildRunsRequest(form: RunForm): BuildResult {
  const errors: FormErrors = {};

  if (form.dataset === null) errors.dataset = 'dataset: choose a dataset';
  const architecture = architectureFields(form.architecture);
  if (!architecture.ok) errors.architecture = architecture.error;
  if (form.optimizers.length === 0) errors.optimizers = 'optimizers: tick at least one optimizer';
  const seeds = parseSeeds(form.seedsText);
  if (!seeds.ok) errors.seeds = seeds.error;

  let batchSize: number | 'full' | undefined;
  if (form.batchSizeText.trim().toLowerCase() === 'full') batchSize = 'full';
  else {
    const parsed = parseNumberText('batch size', form.batchSizeText);
    if (parsed.ok) batchSize = parsed.value;
    else errors.batchSize = `${parsed.error} (or "full" for full-batch training)`;
  }

  const bound = parseNumberText(form.bound, form.bound === 'epochs' ? form.epochsText : form.stepsText);
  if (!bound.ok) errors[form.bound] = bound.error;

  const optimizers: SweepOptimizer[] = [];
  for (const { descriptor, inputs } of form.optimizers) {
    const { options, errors: optionErrors } = optionsFromInputs(descriptor, inputs);
    for (const [option, error] of Object.entries(optionErrors)) errors[optionErrorKey(descriptor.name, option)] = `${descriptor.name} ${error}`;
    optimizers.push(Object.keys(options).length === 0 ? { name: descriptor.name } : { name: descriptor.name, options });
  }

  if (Object.keys(errors).length > 0 || !architecture.ok || !seeds.ok || !bound.ok || form.dataset === null || batchSize === undefined) {
    return { ok: false, errors };
  }

  const experimentName = form.experimentName.trim();
  return {
    ok: true,
    request: {
      ...(experimentName === '' ? {} : { experimentName }),
      base: {
        dataset: form.dataset.source,
        ...(form.dataset.target === null ? {} : { target: form.dataset.target }),
        ...architecture.value,
        [form.bound]: bound.value,
        batchSize,
      },
      optimizers,
      seeds: seeds.value,
    },
  };
}
