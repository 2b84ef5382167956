import { z } from 'zod';
import { runSpecLimits as limits } from '../../shared/runSpecLimits';
import { architectureLabels, optimizerLabel, studySpecLimits } from '../../shared/studySpec';
import { studyRunCount } from '../studies/expandStudy';
import type { FieldIssue, LabMethod, LabParams, ModelSpec, RunsRequest, StudyRequest, StudySpec } from './labApi';

/**
 * The shape of every Lab API payload, checked in the main process before a handler runs (IPC and
 * HTTP alike). The schemas check structure and ranges; content (does the file load, is the layer
 * spec valid, does the optimizer take that option) is the engine's job, which names the field too.
 * Unknown keys are rejected so that a typo does not silently fall back to a default.
 */

const id = z.number().int().positive();
const name = z.string().trim().min(1).max(limits.maxExperimentName);
const tags = z.array(z.string().trim().min(1).max(60)).max(50);
const notes = z.string().max(20_000);
/** A number, a flag, or the name of a choice (a learning-rate schedule's kind): the engine checks which the option takes. */
const optionValue = z.union([z.number().refine(Number.isFinite, 'expected a finite number'), z.boolean(), z.string().min(1).max(60)]);
const optionValues = z.record(z.string().min(1), optionValue);
/** Model specs are checked layer by layer by the engine (validateModelSpec), which names the field. */
const modelSpec = z.record(z.string(), z.unknown()) as unknown as z.ZodType<ModelSpec>;
const arch = z.union([z.string().min(1), modelSpec], { error: 'expected a preset name or a model spec object' });
const positiveInt = z.number().int().positive();
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64 text');

/** An integer from min to max, with one message for every way to miss (what the CLI shows after its flag). */
function integerIn(min: number, max: number, message = min === 1 ? `expected a positive integer, at most ${max}` : `expected an integer from ${min} to ${max}`) {
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

const batchSizeMessage = `expected a positive integer, at most ${limits.maxBatchSize}, or "full"`;
const divergenceFactorMessage = `expected a number above 1, at most ${limits.maxDivergenceFactor.toLocaleString('en-US')}, or "off"`;
const divergenceFactor = z.union(
  [z.number().gt(1, divergenceFactorMessage).max(limits.maxDivergenceFactor, divergenceFactorMessage), z.literal('off')],
  { error: divergenceFactorMessage },
);
const init = z.enum(['default', 'zeros', 'he'], { error: 'expected "default", "zeros" or "he"' });
const checkpointEveryMessage = 'expected {"steps": a positive integer} or {"seconds": a positive number}';
const checkpointEvery = z.union(
  [z.strictObject({ steps: integerIn(1, limits.maxSteps) }), z.strictObject({ seconds: z.number().positive().max(1e7) })],
  { error: checkpointEveryMessage },
);
const batchSize = z.union([integerIn(1, limits.maxBatchSize, batchSizeMessage), z.literal('full')], { error: batchSizeMessage });
const datasetSource = z.string().trim().min(1, 'expected "mnist" or a path to a dataset file or folder');
const subsetSize = integerIn(1, limits.maxSubsetSize);
/** A value given twice in a list of seeds or learning rates would start the same runs twice: an issue at its second place. */
function givenOnce(noun: string) {
  return (values: number[], context: z.RefinementCtx<number[]>): void => {
    values.forEach((value, i) => {
      if (values.indexOf(value) < i) context.addIssue({ code: 'custom', path: [i], message: `${noun} ${value} is listed twice` });
    });
  };
}

/** Run ids, each at most once (the same run twice would be read twice): a read's cost grows with their number. */
const runIds = z.array(id).max(500).superRefine(givenOnce('run id'));
/** The points one readCurves call may ask for per series: runs × maxPoints (500 runs of 4,000, 20 of 100,000). */
const maxCurvePoints = 2_000_000;

const seeds = z
  .array(integerIn(0, limits.maxSeed))
  .min(1, 'give at least one seed')
  .max(limits.maxSeeds, `at most ${limits.maxSeeds} seeds`)
  .superRefine(givenOnce('seed'));

/**
 * The structure of a RunsRequest, the one way runs start, for the API and `curvelab train` alike: a
 * run spec without its optimizer and seed (`base`), optimizers with fixed and grid options, seeds. The
 * bounds are runSpecLimits. What needs the engine (the optimizer and its options, the model against
 * the dataset) is checked next by normalizeRuns.
 */
export const runsRequestSchema = z.strictObject({
  experimentId: id.optional(),
  experimentName: name.optional(),
  notes: notes.optional(),
  tags: tags.optional(),
  base: z
    .strictObject({
      dataset: datasetSource,
      target: z.string().min(1).optional(),
      arch,
      archOptions: z.record(z.string(), z.string()).optional(),
      epochs: integerIn(1, limits.maxEpochs).optional(),
      steps: integerIn(1, limits.maxSteps).optional(),
      batchSize: batchSize.optional(),
      shuffle: z.boolean().optional(),
      init: init.optional(),
      initFrom: z.string().trim().min(1, 'expected the path of a .safetensors weights file').optional(),
      trainSize: subsetSize.optional(),
      valSize: subsetSize.optional(),
      augment: z.boolean().optional(),
      divergenceFactor: divergenceFactor.optional(),
      checkpointEvery: checkpointEvery.optional(),
    })
    .refine((s) => s.epochs === undefined || s.steps === undefined, { message: 'give epochs or steps, not both', path: ['steps'] }),
  optimizers: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        options: optionValues.optional(),
        grid: z
          .record(
            z.string().min(1),
            z.array(optionValue).min(1, 'give at least one value').max(limits.maxGridValues, `at most ${limits.maxGridValues} values`),
          )
          .optional(),
      }),
    )
    .min(1, 'give at least one optimizer')
    .max(limits.maxOptimizers, `at most ${limits.maxOptimizers} optimizers`),
  seeds,
}).superRefine(atMostMaxRuns, { when: (check) => requestRunCount(check.value) !== null }) as z.ZodType<RunsRequest>;

/**
 * The runs a request asks for, from its grids' sizes and its seeds alone (no combination is made), or
 * null while its optimizers or seeds are not lists: what the run cap needs, even beside other issues.
 */
function requestRunCount(value: unknown): number | null {
  const { optimizers, seeds: given } = (typeof value === 'object' && value !== null ? value : {}) as { optimizers?: unknown; seeds?: unknown };
  if (!Array.isArray(optimizers) || !Array.isArray(given)) return null;
  const combinations = optimizers.reduce<number>((sum, entry) => {
    const grid = (entry as { grid?: unknown } | null)?.grid;
    const sizes = typeof grid === 'object' && grid !== null ? Object.values(grid).map((values) => (Array.isArray(values) ? values.length : 1)) : [];
    return sum + sizes.reduce((product, size) => product * size, 1);
  }, 0);
  return combinations * given.length;
}

/**
 * Refuses a request for more than maxRuns runs before anything expands it. It runs beside other issues
 * (checkRuns reports every one), and its issue is the whole payload's, so that normalizeRuns then makes
 * no grid combination of it.
 */
function atMostMaxRuns(request: unknown, context: z.RefinementCtx<unknown>): void {
  const runs = requestRunCount(request)!;
  if (runs > limits.maxRuns) {
    const message = `the request expands to ${runs.toLocaleString('en-US')} runs (grid combinations × seeds); at most ${limits.maxRuns.toLocaleString('en-US')}`;
    context.addIssue({ code: 'custom', path: [], message });
  }
}

/**
 * One of several object shapes, chosen by which key the value has (the first of `cases` it has, else
 * the last case), so that an issue names the field inside the shape meant rather than "no shape matched".
 */
function keyedUnion<T>(cases: [key: string | null, schema: z.ZodType][]): z.ZodType<T> {
  return z.unknown().transform((value, context) => {
    const has = (key: string) => typeof value === 'object' && value !== null && Object.hasOwn(value, key);
    const [, schema] = cases.find(([key]) => key === null || has(key))!;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as T;
    for (const issue of parsed.error.issues) context.addIssue(issue as Parameters<typeof context.addIssue>[0]);
    return z.NEVER;
  }) as unknown as z.ZodType<T>;
}

const label = z.string().trim().min(1).max(studySpecLimits.maxLabel);
const studyBudget = keyedUnion<StudySpec['budget']>([
  ['steps', z.strictObject({ steps: integerIn(1, limits.maxSteps) })],
  [null, z.strictObject({ epochs: integerIn(1, limits.maxEpochs) })],
]);
const studyArchitecture = keyedUnion<StudySpec['architectures'][number]>([
  [
    'random',
    z.strictObject({
      random: z.strictObject({ count: integerIn(1, studySpecLimits.maxRandomCount), seed: integerIn(0, 2 ** 32 - 1 - studySpecLimits.maxRandomCount) }),
    }),
  ],
  ['spec', z.strictObject({ label, spec: modelSpec, budget: studyBudget.optional() })],
  [
    null,
    z.strictObject({ label: label.optional(), preset: z.string().min(1), options: z.record(z.string(), z.string()).optional(), budget: studyBudget.optional() }),
  ],
]);
const studyOptimizer = z.strictObject({
  label: label.optional(),
  name: z.string().min(1),
  options: optionValues.optional(),
  lrGrid: z
    .array(z.number().refine(Number.isFinite, 'expected a finite number'))
    .min(1, 'give at least one value')
    .max(limits.maxGridValues, `at most ${limits.maxGridValues} values`)
    .superRefine(givenOnce('lr'))
    .optional(),
});

/**
 * The structure of a study spec: its fields, their ranges (runSpecLimits and studySpecLimits), unique
 * row and column labels (a preset's default label is `preset (k=v, …)`, a random network's `random #<archSeed>`)
 * and the number of runs it expands to. What needs the engine is checked next, run by run (checkStudy).
 */
export const studySpecSchema = z
  .strictObject({
    name: name.optional(),
    dataset: datasetSource,
    target: z.string().min(1).optional(),
    trainSize: subsetSize.optional(),
    valSize: subsetSize.optional(),
    augment: z.boolean().optional(),
    shuffle: z.boolean().optional(),
    init: init.optional(),
    architectures: z
      .array(studyArchitecture)
      .min(1, 'give at least one architecture')
      .max(studySpecLimits.maxArchitectures, `at most ${studySpecLimits.maxArchitectures} architecture entries`),
    optimizers: z
      .array(studyOptimizer)
      .min(1, 'give at least one optimizer')
      .max(limits.maxOptimizers, `at most ${limits.maxOptimizers} optimizers`),
    seeds,
    budget: studyBudget,
    batchSize,
    divergenceFactor: divergenceFactor.optional(),
    checkpointEvery: checkpointEvery.optional(),
    targets: z
      .array(
        z.strictObject({
          metric: z.enum(['trainLoss', 'valAccuracy'], { error: 'expected "trainLoss" or "valAccuracy"' }),
          value: z.number().refine(Number.isFinite, 'expected a finite number'),
        }),
      )
      .max(studySpecLimits.maxTargets, `at most ${studySpecLimits.maxTargets} targets`)
      .optional(),
  })
  .superRefine((spec, context) => {
    const labels = new Map<string, number>();
    spec.architectures.forEach((entry, i) => {
      for (const rowLabel of architectureLabels(entry)) {
        if (labels.has(rowLabel)) {
          const path = ['architectures', i, 'random' in entry ? 'random' : 'label'];
          const message = `the row label ${JSON.stringify(rowLabel)} is also architecture ${labels.get(rowLabel)}'s; give each row its own label`;
          context.addIssue({ code: 'custom', path, message });
          break;
        }
        labels.set(rowLabel, i);
      }
    });
    const columns = spec.optimizers.map(optimizerLabel);
    columns.forEach((column, j) => {
      const first = columns.indexOf(column);
      const message = `the column label ${JSON.stringify(column)} is also optimizer ${first}'s; give each its own label`;
      if (first < j) context.addIssue({ code: 'custom', path: ['optimizers', j, 'label'], message });
    });
    const runs = studyRunCount(spec);
    if (runs > studySpecLimits.maxRuns) context.addIssue({ code: 'custom', path: [], message: `the study expands to ${runs} runs; at most ${studySpecLimits.maxRuns}` });
  }) as unknown as z.ZodType<StudySpec>;

const builtInName = z.enum(['seed-table', 'random-architectures'], { error: 'expected "seed-table" or "random-architectures"' });

/** A study to start: `{ spec }` as written, or a built-in with its scale, dataset and (random architectures) count. */
export const studyRequestSchema = keyedUnion<StudyRequest>([
  ['spec', z.strictObject({ spec: studySpecSchema })],
  [
    null,
    z.strictObject({
      builtIn: builtInName,
      scale: z.enum(['tiny', 'small', 'paper'], { error: 'expected "tiny", "small" or "paper"' }).optional(),
      dataset: datasetSource.optional(),
      target: z.string().min(1).optional(),
      count: integerIn(1, studySpecLimits.maxRandomCount).optional(),
    }),
  ],
]);

/** A schema's complaint as a field issue: the field as a dotted path, an unknown key named itself. */
export function fieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  return { field: path.map(String).join('.'), message: issue.message };
}

const nothing = z.undefined();

export const labSchemas = {
  getMachine: nothing,
  listExperiments: nothing,
  getExperiment: z.strictObject({ id }),
  createExperiment: z.strictObject({ name, notes: notes.optional(), tags: tags.optional() }),
  updateExperiment: z.strictObject({ id, name: name.optional(), notes: notes.optional(), tags: tags.optional() }),
  deleteExperiment: z.strictObject({ id }),
  listRuns: z.strictObject({ experimentId: id.optional() }),
  getRun: z.strictObject({ id }),
  startRuns: runsRequestSchema,
  // checkRuns reports every issue itself (normalizeRuns parses it with runsRequestSchema): only a payload
  // that is not an object at all is refused here.
  checkRuns: z.custom<RunsRequest>((p) => typeof p === 'object' && p !== null && !Array.isArray(p), 'expected a runs request object'),
  cancelRun: z.strictObject({ id }),
  resumeRun: z.strictObject({ id }),
  getRunHistory: z.strictObject({ id }),
  listWorkers: nothing,
  updateRun: z.strictObject({ id, notes: notes.optional(), tags: tags.optional() }),
  deleteRun: z.strictObject({ id }),
  listSeries: z.strictObject({ runIds }),
  readCurves: z
    .strictObject({
      runIds,
      series: z.array(z.string().min(1)).min(1).max(50).optional(),
      maxPoints: z.number().int().min(2).max(100_000),
      stepRange: z
        .strictObject({ from: z.number().int().min(0), to: z.number().int().min(0) })
        .refine((r) => r.from <= r.to, { message: 'from must be ≤ to', path: ['to'] })
        .optional(),
    })
    .refine((p) => p.runIds.length * p.maxPoints <= maxCurvePoints, {
      message: `at most ${maxCurvePoints.toLocaleString('en-US')} points per series in one call (runIds × maxPoints): ask for fewer runs or fewer points`,
      path: ['maxPoints'],
    }),
  listDatasets: nothing,
  addDataset: z.strictObject({ path: z.string().min(1), name: name.optional(), target: z.string().min(1).optional() }),
  uploadDataset: z.strictObject({
    files: z
      .array(z.strictObject({ fileName: z.string().min(1).max(255), base64 }))
      .min(1)
      .max(16),
    name: name.optional(),
    target: z.string().min(1).optional(),
  }),
  removeDataset: z.strictObject({ id }),
  previewDataset: z.strictObject({ id, count: z.number().int().min(1).max(256).optional() }),
  listPresets: nothing,
  describeArchitecture: z.strictObject({
    arch,
    archOptions: z.record(z.string(), z.string()).optional(),
    datasetId: id.optional(),
    inputShape: z.array(positiveInt).min(1).max(4).optional(),
    outputSize: positiveInt.optional(),
  }),
  listOptimizers: nothing,
  exportExperiment: z.strictObject({ experimentId: id }),
  exportWeights: z.strictObject({ runId: id }),
  importArchive: z.strictObject({ base64, fileName: z.string().max(255).optional(), asCopy: z.boolean().optional() }),
  listBuiltInStudies: nothing,
  // checkStudy reports every issue itself (with studyRequestSchema): only a payload that is not an object is refused here.
  checkStudy: z.custom<StudyRequest>((p) => typeof p === 'object' && p !== null && !Array.isArray(p), 'expected a study request object'),
  startStudy: studyRequestSchema,
  listStudies: nothing,
  getStudy: z.strictObject({ id }),
  studyReport: z.strictObject({ id, format: z.enum(['html', 'markdown', 'csv'], { error: 'expected "html", "markdown" or "csv"' }) }),
  resumeStudy: z.strictObject({ id }),
} satisfies { [M in LabMethod]: z.ZodType<LabParams<M>> };
