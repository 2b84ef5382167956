import { z } from 'zod';
import type { LabMethod, LabParams, ModelSpec, RunSpecInput, SweepRequest } from './labApi';

/**
 * The shape of every Lab API payload, checked in the main process before a handler runs (IPC and
 * HTTP alike). The schemas check structure and ranges; content (does the file load, is the layer
 * spec valid, does the optimizer take that option) is the engine's job, which names the field too.
 * Unknown keys are rejected so that a typo does not silently fall back to a default.
 */

const id = z.number().int().positive();
const name = z.string().trim().min(1).max(200);
const tags = z.array(z.string().trim().min(1).max(60)).max(50);
const notes = z.string().max(20_000);
const optionValue = z.union([z.number().refine(Number.isFinite, 'expected a finite number'), z.boolean()]);
const optionValues = z.record(z.string().min(1), optionValue);
/** Model specs are checked layer by layer by the engine (validateModelSpec), which names the field. */
const modelSpec = z.record(z.string(), z.unknown()) as unknown as z.ZodType<ModelSpec>;
const arch = z.union([z.string().min(1), modelSpec]);
const positiveInt = z.number().int().positive();
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64 text');

const runSpecFields = {
  dataset: z.string().min(1),
  target: z.string().min(1).optional(),
  arch,
  archOptions: z.record(z.string(), z.string()).optional(),
  optimizer: z.string().min(1),
  optimizerOptions: optionValues.optional(),
  epochs: positiveInt.max(100_000).optional(),
  steps: positiveInt.max(100_000_000).optional(),
  batchSize: z.union([positiveInt.max(1_000_000), z.literal('full')]).optional(),
  shuffle: z.boolean().optional(),
  init: z.enum(['default', 'zeros']).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
};

const oneBound = (s: { epochs?: number | undefined; steps?: number | undefined }): boolean => s.epochs === undefined || s.steps === undefined;
const oneBoundMessage = { message: 'give epochs or steps, not both', path: ['steps'] };

const runSpecInput = z.strictObject(runSpecFields).refine(oneBound, oneBoundMessage) as z.ZodType<RunSpecInput>;

const { optimizer: _optimizer, optimizerOptions: _options, seed: _seed, ...sweepBaseFields } = runSpecFields;

const sweepRequest = z.strictObject({
  experimentName: name,
  notes: notes.optional(),
  tags: tags.optional(),
  base: z.strictObject(sweepBaseFields).refine(oneBound, oneBoundMessage),
  optimizers: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        options: optionValues.optional(),
        grid: z.record(z.string().min(1), z.array(optionValue).min(1).max(50)).optional(),
      }),
    )
    .min(1)
    .max(20),
  seeds: z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1).max(100),
}) as z.ZodType<SweepRequest>;

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
  startRun: z.strictObject({ spec: runSpecInput, experimentId: id.optional() }),
  startSweep: sweepRequest,
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
