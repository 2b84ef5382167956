import type { DatasetInfo, LabParams, OptimizerInfo, RunSpecInput, SweepOptimizer, SweepRequest } from '$api/labApi';
import { architectureFields, type ArchitectureChoice } from './architectureChoice';
import { optionsFromInputs, type OptionInput } from './optionValues';
import { parseSeeds } from './seeds';

export type Bound = 'epochs' | 'steps';

/** Everything on the New run form, as the user typed it. */
export interface RunForm {
  dataset: DatasetInfo | null;
  architecture: ArchitectureChoice;
  /** The ticked optimizers with their option inputs, in the order shown. */
  optimizers: { info: OptimizerInfo; inputs: Record<string, OptionInput> }[];
  seedsText: string;
  batchSizeText: string;
  bound: Bound;
  epochsText: string;
  stepsText: string;
  experimentName: string;
}

/** One optimizer and one seed is a run; anything more is a sweep in a new experiment. */
export type StartRequest = { kind: 'run'; payload: LabParams<'startRun'> } | { kind: 'sweep'; payload: SweepRequest };

/**
 * Errors by form field: `dataset`, `architecture`, `optimizers`, `seeds`, `batchSize`, `epochs`,
 * `steps`, `experimentName`, and `option:<optimizer>.<option>` for an optimizer's option.
 */
export type FormErrors = Record<string, string>;

export type BuildResult = { ok: true; request: StartRequest } | { ok: false; errors: FormErrors };

export const optionErrorKey = (optimizer: string, option: string): string => `option:${optimizer}.${option}`;

/** Limits from the Lab API's schemas (labSchemas.ts). */
const limits = { batchSize: 1_000_000, epochs: 100_000, steps: 100_000_000, experimentName: 200 };

function positiveInteger(field: string, text: string, max: number): { value?: number; error?: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) return { error: `${field}: expected a whole number ≥ 1, got "${trimmed}"` };
  const value = Number(trimmed);
  if (value > max) return { error: `${field}: at most ${max.toLocaleString('en-US')}, got ${trimmed}` };
  return { value };
}

/** How a sweep's experiment is named when the user leaves the name empty. */
export function suggestedExperimentName(form: Pick<RunForm, 'dataset' | 'architecture' | 'optimizers'>): string {
  const dataset = form.dataset?.name ?? 'dataset';
  const arch = form.architecture.kind === 'preset' ? (form.architecture.preset?.name ?? 'model') : 'custom model';
  const optimizers = form.optimizers.map((o) => o.info.name).join(' vs ');
  return `${dataset} · ${arch} · ${optimizers === '' ? 'optimizers' : optimizers}`.slice(0, limits.experimentName);
}

/** Reads the whole form into a startRun or startSweep payload, or every error at once. */
export function buildStartRequest(form: RunForm): BuildResult {
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
    const parsed = positiveInteger('batch size', form.batchSizeText, limits.batchSize);
    if (parsed.error) errors.batchSize = `${parsed.error} (or "full" for full-batch training)`;
    batchSize = parsed.value;
  }

  const bound = form.bound === 'epochs' ? positiveInteger('epochs', form.epochsText, limits.epochs) : positiveInteger('steps', form.stepsText, limits.steps);
  if (bound.error) errors[form.bound] = bound.error;

  const typedName = form.experimentName.trim();
  if (typedName.length > limits.experimentName) errors.experimentName = `experiment name: at most ${limits.experimentName} characters, got ${typedName.length}`;

  const optimizers: SweepOptimizer[] = [];
  for (const { info, inputs } of form.optimizers) {
    const { options, errors: optionErrors } = optionsFromInputs(info, inputs);
    for (const [option, error] of Object.entries(optionErrors)) errors[optionErrorKey(info.name, option)] = `${info.name} ${error}`;
    optimizers.push(Object.keys(options).length === 0 ? { name: info.name } : { name: info.name, options });
  }

  if (Object.keys(errors).length > 0 || !architecture.ok || !seeds.ok || form.dataset === null || batchSize === undefined || bound.value === undefined) {
    return { ok: false, errors };
  }

  const base: SweepRequest['base'] = {
    dataset: form.dataset.source,
    ...(form.dataset.target === null ? {} : { target: form.dataset.target }),
    ...architecture.value,
    [form.bound]: bound.value,
    batchSize,
  };

  if (optimizers.length === 1 && seeds.value.length === 1) {
    const optimizer = optimizers[0]!;
    const spec: RunSpecInput = {
      ...base,
      optimizer: optimizer.name,
      ...(optimizer.options === undefined ? {} : { optimizerOptions: optimizer.options }),
      seed: seeds.value[0]!,
    };
    return { ok: true, request: { kind: 'run', payload: { spec } } };
  }

  const experimentName = typedName === '' ? suggestedExperimentName(form) : typedName;
  return { ok: true, request: { kind: 'sweep', payload: { experimentName, base, optimizers, seeds: seeds.value } } };
}
