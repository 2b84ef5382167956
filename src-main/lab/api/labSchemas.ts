import { z } from 'zod';
import { runSpecLimits as limits } from '../../shared/runSpecLimits';
import type { FieldIssue, LabMethod, LabParams, ModelSpec, RunsRequest } from './labApi';

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
const divergenceFactor = z.number().gt(1, divergenceFactorMessage).max(limits.maxDivergenceFactor, divergenceFactorMessage);

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
      dataset: z.string().trim().min(1, 'expected "mnist" or a path to a dataset file or folder'),
      target: z.string().min(1).optional(),
      arch,
      archOptions: z.record(z.string(), z.string()).optional(),
      epochs: integerIn(1, limits.maxEpochs).optional(),
      steps: integerIn(1, limits.maxSteps).optional(),
      batchSize: z.union([integerIn(1, limits.maxBatchSize, batchSizeMessage), z.literal('full')], { error: batchSizeMessage }).optional(),
      shuffle: z.boolean().optional(),
      init: z.enum(['default', 'zeros', 'he'], { error: 'expected "default", "zeros" or "he"' }).optional(),
      trainSize: integerIn(1, limits.maxSubsetSize).optional(),
      valSize: integerIn(1, limits.maxSubsetSize).optional(),
      augment: z.boolean().optional(),
      divergenceFactor: z.union([divergenceFactor, z.literal('off')], { error: divergenceFactorMessage }).optional(),
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
  seeds: z
    .array(integerIn(0, limits.maxSeed))
    .min(1, 'give at least one seed')
    .max(limits.maxSeeds, `at most ${limits.maxSeeds} seeds`)
    .superRefine((seeds, context) => {
      // A seed given twice would start the same run twice.
      seeds.forEach((seed, i) => {
        if (seeds.indexOf(seed) < i) context.addIssue({ code: 'custom', path: [i], message: `seed ${seed} is listed twice` });
      });
    }),
}) as z.ZodType<RunsRequest>;

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
  updateRun: z.strictObject({ id, notes: notes.optional(), tags: tags.optional() }),
  deleteRun: z.strictObject({ id }),
  listSeries: z.strictObject({ runIds: z.array(id).max(500) }),
  readCurves: z.strictObject({
    runIds: z.array(id).max(500),
    series: z.array(z.string().min(1)).min(1).max(50),
    maxPoints: z.number().int().min(2).max(100_000),
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
  importArchive: z.strictObject({ base64, fileName: z.string().max(255).optional() }),
} satisfies { [M in LabMethod]: z.ZodType<LabParams<M>> };
