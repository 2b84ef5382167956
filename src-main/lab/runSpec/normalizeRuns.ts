import { ModelSpecError, OptimizerOptionError, UserInputError } from '../../engine/errors';
import type { Model } from '../../engine/nn/model';
import { checkOptimizerOptions, getOptimizerDescriptor } from '../../engine/optim/registry';
import { checkTrainingMemory } from '../../engine/nn/trainingMemory';
import { buildModel, type ModelIO } from '../../engine/train/buildModel';
import { runDataIssues, type DataFacts } from '../../engine/train/runPlan';
import { checkWeightsFit } from '../../engine/weights/modelWeights';
import { readWeightsHeader } from '../../engine/weights/weightsFile';
import { defaultRunSpec, type RunSpec } from '../../shared/runSpec';
import type { FieldIssue, OptionValue, RunsRequest, SweepOptimizer } from '../api/labApi';
import { fieldIssue, runsRequestSchema } from '../api/labSchemas';
import { RunSpecError } from './runSpecError';

declare const checked: unique symbol;

/**
 * A run spec that normalizeRuns made: defaults filled in, every rule checked. Nothing else makes one,
 * so whoever takes it (RunManager.enqueue) trusts it as it is.
 */
export type CheckedRunSpec = RunSpec & { readonly [checked]: true };

/** A request as it came, with every issue of its structure (runsRequestSchema); the request is typed only where no issue is. */
export interface RequestStructure {
  request: RunsRequest;
  issues: FieldIssue[];
}

/**
 * What the checker knows of the request's dataset: its shapes and split sizes (the registered or loaded
 * dataset's), why it cannot be used (it does not load), or null: not known here. With null the model and
 * the data fields are not checked against the data; `curvelab train` passes null and the trainer checks
 * them with the same functions (planRun) when it has loaded the data.
 */
export type DatasetFacts = (ModelIO & DataFacts) | { refusal: string } | null;

export interface RunsVerdict {
  /** The runs, in order (optimizer entry, then grid combination with the last key fastest, then seed); none when there is an issue. */
  specs: CheckedRunSpec[];
  /** Every issue, structure first, each with its field as a path into the request. */
  issues: FieldIssue[];
  /** The number of runs the request asks for; 0 when its optimizers, their grids or its seeds are malformed. */
  runCount: number;
}

/** Parses an untrusted request with the one request schema, keeping every issue. */
export function requestStructure(payload: unknown): RequestStructure {
  const parsed = runsRequestSchema.safeParse(payload);
  // As parsed when it passes (strings trimmed, as the dispatcher hands startRuns its payload), so the
  // check and the start judge the same values.
  return parsed.success ? { request: parsed.data, issues: [] } : { request: payload as RunsRequest, issues: parsed.error.issues.map(fieldIssue) };
}

/** A request the API's schema has already passed (the dispatcher checked startRuns' payload). */
export function wellFormed(request: RunsRequest): RequestStructure {
  return { request, issues: [] };
}

/** No structural issue at the field, inside it, or at a field that holds it. */
export function soundAt(structure: Pick<RequestStructure, 'issues'>, field: string): boolean {
  return shapedAt(structure, field) && !structure.issues.some((i) => within(i.field, field));
}

/** No structural issue at the field or at a field that holds it: it is there, of its type (what it holds may be wrong). */
function shapedAt(structure: Pick<RequestStructure, 'issues'>, field: string): boolean {
  return !structure.issues.some((i) => i.field === '' || within(field, i.field));
}

/**
 * The one check of a run request, for the API (startRuns, checkRuns) and `curvelab train` alike: on a
 * structurally sound request, fills the defaults (one epoch, batches of 64, shuffled, default init) and
 * checks what the schema cannot: the model against the dataset (buildModel: preset and options, every
 * field of a JSON spec, its shapes against the data's, the memory training it would take; the header of the weights file it starts from,
 * `initFrom`, against the model), the subsets against the splits' sizes and
 * augmentation against the examples (runDataIssues), each optimizer and every fixed and grid option
 * value, and the rules across options for every grid combination. The parts of a request with
 * structural issues are skipped, the others still checked, so a client sees every issue at once.
 *
 * Runs with the same seed are paired: the engine draws initial weights and batches from the seed alone,
 * so they differ only in the optimizer and its options. Optimizer options are kept as given (defaults
 * are not written into the spec): the optimizer fills its own defaults when the run starts.
 */
export function normalizeRuns(structure: RequestStructure, dataset: DatasetFacts): RunsVerdict {
  const { request } = structure;
  const sound = (field: string): boolean => soundAt(structure, field);
  const issues = [...structure.issues];
  if (['base.dataset', 'base.target', 'base.arch', 'base.archOptions'].every(sound)) issues.push(...modelIssues(request.base, dataset, sound('base.initFrom')));
  if (['base.dataset', 'base.target', 'base.trainSize', 'base.valSize', 'base.augment'].every(sound)) issues.push(...dataIssues(request.base, dataset));
  const optimizers = shapedAt(structure, 'optimizers') ? request.optimizers : [];
  optimizers.forEach((entry, index) => {
    if (sound(`optimizers.${index}`)) issues.push(...optimizerIssues(entry, index));
  });
  const countable = shapedAt(structure, 'seeds') && optimizers.length > 0 && optimizers.every((_, i) => sound(`optimizers.${i}.grid`));
  const runCount = countable ? optimizers.reduce((n, entry) => n + combinations(entry).length, 0) * request.seeds.length : 0;
  if (issues.length > 0) return { specs: [], issues, runCount };
  const specs = request.optimizers.flatMap((entry) =>
    combinations(entry).flatMap((combination) => request.seeds.map((seed) => runSpec(request.base, entry, combination, seed))),
  );
  return { specs, issues, runCount };
}

/** The verdict's runs, or a RunSpecError naming its first issue's field. */
export function acceptedRuns(verdict: RunsVerdict): CheckedRunSpec[] {
  const first = verdict.issues[0];
  if (first) throw new RunSpecError(first.field, first.message);
  return verdict.specs;
}

function runSpec(base: RunsRequest['base'], entry: SweepOptimizer, combination: Record<string, OptionValue>, seed: number): CheckedRunSpec {
  const spec: RunSpec = {
    dataset: base.dataset,
    ...(base.target !== undefined ? { target: base.target } : {}),
    arch: base.arch,
    archOptions: { ...(base.archOptions ?? defaultRunSpec.archOptions) },
    optimizer: entry.name,
    optimizerOptions: { ...entry.options, ...combination },
    ...(base.steps !== undefined ? { steps: base.steps } : { epochs: base.epochs ?? 1 }),
    batchSize: base.batchSize ?? defaultRunSpec.batchSize,
    shuffle: base.shuffle ?? defaultRunSpec.shuffle,
    init: base.init ?? defaultRunSpec.init,
    ...(base.initFrom !== undefined ? { initFrom: base.initFrom } : {}),
    seed,
    // Absent, each of these means its default (the whole split, the dataset's augmentation, the default factor).
    ...(base.trainSize !== undefined ? { trainSize: base.trainSize } : {}),
    ...(base.valSize !== undefined ? { valSize: base.valSize } : {}),
    ...(base.augment !== undefined ? { augment: base.augment } : {}),
    ...(base.divergenceFactor !== undefined ? { divergenceFactor: base.divergenceFactor } : {}),
    ...(base.checkpointEvery !== undefined ? { checkpointEvery: base.checkpointEvery } : {}),
  };
  return spec as CheckedRunSpec;
}

/** The subsets against the dataset's split sizes, augmentation against its examples' shape (runDataIssues). */
function dataIssues(base: RunsRequest['base'], dataset: DatasetFacts): FieldIssue[] {
  if (dataset === null || 'refusal' in dataset) return [];
  return runDataIssues(base, dataset).map((issue) => ({ field: `base.${issue.field}`, message: issue.message }));
}

/** The model against the dataset (buildModel), then the weights it starts from against the model (when `initFrom` is sound). */
function modelIssues(base: RunsRequest['base'], dataset: DatasetFacts, initFromSound: boolean): FieldIssue[] {
  const initFrom = initFromSound ? base.initFrom : undefined;
  if (dataset === null) return initFromIssues(initFrom, null);
  if ('refusal' in dataset) return [{ field: 'base.dataset', message: dataset.refusal }];
  let model: Model;
  try {
    model = buildModel(base.arch, base.archOptions ?? {}, dataset);
    checkTrainingMemory(model, { batchSize: base.batchSize ?? defaultRunSpec.batchSize, examples: base.trainSize ?? dataset.trainSize }, 'arch');
  } catch (error) {
    if (error instanceof ModelSpecError) return [{ field: `base.${error.field ?? 'arch'}`, message: error.message }];
    throw error;
  }
  return initFromIssues(initFrom, model);
}

/**
 * A weights file to start from: readable, its header sound, and (with the model known) this model's
 * tensors. Only the header is read; the trainer reads the tensors and checks them again.
 */
function initFromIssues(file: string | undefined, model: Model | null): FieldIssue[] {
  if (file === undefined) return [];
  try {
    const header = readWeightsHeader(file);
    if (model) checkWeightsFit(model, header.tensors, file);
    return [];
  } catch (error) {
    if (error instanceof UserInputError) return [{ field: 'base.initFrom', message: error.message }];
    throw error;
  }
}

/**
 * Everything wrong with one optimizer entry: its name; each fixed option and each grid value alone
 * (field `optimizers.i.options.k` or `optimizers.i.grid.k`); a key given both ways; then, only when
 * every value is fine alone, the rules across options for each grid combination (field `optimizers.i`).
 */
function optimizerIssues(entry: SweepOptimizer, index: number): FieldIssue[] {
  const at = `optimizers.${index}`;
  try {
    getOptimizerDescriptor(entry.name);
  } catch (error) {
    if (error instanceof OptimizerOptionError) return [{ field: `${at}.name`, message: error.message }];
    throw error;
  }
  const alone = (key: string, value: OptionValue): string[] =>
    checkOptimizerOptions(entry.name, { [key]: value }).flatMap((i) => (i.option === null ? [] : [i.message]));
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(entry.options ?? {})) {
    issues.push(...alone(key, value).map((message) => ({ field: `${at}.options.${key}`, message })));
  }
  for (const [key, values] of Object.entries(entry.grid ?? {})) {
    const field = `${at}.grid.${key}`;
    if (entry.options && Object.hasOwn(entry.options, key)) {
      issues.push({ field, message: `${key} is both a fixed option and a grid option of ${entry.name}; give it once` });
    }
    const messages = new Set(values.flatMap((value) => alone(key, value)));
    issues.push(...[...messages].map((message) => ({ field, message })));
  }
  if (issues.length > 0) return issues;
  const across = new Set(
    combinations(entry).flatMap((combination) => checkOptimizerOptions(entry.name, { ...entry.options, ...combination }).map((i) => i.message)),
  );
  return [...across].map((message) => ({ field: at, message }));
}

/** Every combination of one value per grid key, the last key varying fastest; one empty combination for no grid. */
function combinations(entry: SweepOptimizer): Record<string, OptionValue>[] {
  let result: Record<string, OptionValue>[] = [{}];
  for (const [key, values] of Object.entries(entry.grid ?? {})) {
    result = result.flatMap((partial) => values.map((value) => ({ ...partial, [key]: value })));
  }
  return result;
}

/** `inner` is `outer` or a field inside it (`optimizers.1.grid.lr` is within `optimizers.1`). */
export function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`);
}
