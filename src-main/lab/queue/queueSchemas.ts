import { z } from 'zod';
import type { FieldIssue } from '../api/labApi';
import { fieldIssue } from '../api/labSchemas';
import { checkRunSpec } from '../runSpec/checkRunSpec';
import type { CheckedRunSpec } from '../runSpec/normalizeRuns';
import type { EventBatch, RunJobPayload } from './queueProtocol';

/**
 * The schemas of what comes out of Redis, which CurveLab does not trust: a run job's payload (checked
 * before anything runs, its spec by the API's own request schema and normaliser) and a batch of events
 * (checked before the lab writes a row of it).
 */

const labId = z.string().regex(/^[0-9a-f]{32}$/, 'expected a lab id (32 hex digits)');
const rowId = z.number().int().positive();
const contentHash = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 content hash (64 hex digits)');

const payloadSchema = z.strictObject({
  version: z.literal(1, { error: 'expected payload version 1' }),
  lab: labId,
  runId: rowId,
  spec: z.unknown(),
  dataset: z.strictObject({
    hash: contentHash,
    name: z.string().min(1).max(200),
    source: z.string().min(1).max(4096),
    target: z.string().min(1).max(200).nullable(),
  }),
});

export type JobPayloadVerdict = { payload: RunJobPayload & { spec: CheckedRunSpec }; issues: [] } | { payload: null; issues: FieldIssue[] };

/** A job's data as a worker receives it: its structure, then its spec as the API checks a run request. */
export function checkJobPayload(data: unknown): JobPayloadVerdict {
  const parsed = payloadSchema.safeParse(data);
  if (!parsed.success) return { payload: null, issues: parsed.error.issues.map(fieldIssue) };
  const spec = checkRunSpec(parsed.data.spec);
  if (spec.spec === null) return { payload: null, issues: spec.issues };
  return { payload: { ...parsed.data, spec: spec.spec } as RunJobPayload & { spec: CheckedRunSpec }, issues: [] };
}

/** The lab and run a job's data names, when those two fields are well-formed whatever the rest is: where a refusal is reported. */
export function jobAddress(data: unknown): { lab: string; runId: number } | null {
  const parsed = z.object({ lab: labId, runId: rowId }).safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** Why a payload was refused, in one line: `spec.optimizerOptions.lr: expected a number; runId: …`. */
export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => (i.field === '' ? i.message : `${i.field}: ${i.message}`)).join('; ');
}

/** JSON has no NaN or Infinity: a non-finite loss arrives as null, which the journal stores as null. */
const real = z.number().nullable();
const count = z.number().int().nonnegative();

const startEvent = z.object({
  type: z.literal('start'),
  backend: z.string(),
  backendReason: z.string(),
  dataset: z.object({
    name: z.string(),
    task: z.string(),
    inputShape: z.array(count),
    classes: count,
    trainSize: count,
    validationSize: count,
    augment: z.boolean(),
  }),
  model: z.object({
    layers: z.array(z.object({ name: z.string(), type: z.string(), outputShape: z.array(count), paramCount: count })),
    paramCount: count,
  }),
  optimizer: z.string(),
  totalSteps: count,
  stepsPerEpoch: count,
});

const stepEvent = z.object({
  type: z.literal('step'),
  step: count,
  epoch: count,
  loss: real,
  accuracy: real,
  seconds: z.number(),
  forwardPasses: count,
  backwardPasses: count,
  forwardModePasses: count,
  trace: z.record(z.string().max(100), real),
});

const epochEvent = z.object({
  type: z.literal('epoch'),
  epoch: count,
  steps: count,
  trainLoss: real,
  trainAccuracy: real,
  valLoss: real,
  valAccuracy: real,
  seconds: z.number(),
});

const doneEvent = z.object({
  type: z.literal('done'),
  status: z.enum(['completed', 'diverged', 'cancelled']),
  steps: count,
  trainLoss: real,
  valLoss: real,
  valAccuracy: real,
  trainEvalLoss: real,
  trainEvalAccuracy: real,
  seconds: z.number(),
  backend: z.string(),
  reason: z.string().optional(),
});

const endingEvent = z.object({ type: z.literal('ending'), status: z.literal('failed'), error: z.string().max(10_000) });

const eventBatchSchema = z.object({
  runId: rowId,
  jobId: z.string().min(1).max(200),
  attempt: z.string().min(1).max(200),
  worker: z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(200) }),
  events: z.array(z.discriminatedUnion('type', [startEvent, stepEvent, epochEvent, doneEvent, endingEvent])).max(100_000),
});

/** A stream entry's batch (its JSON text), or why not. */
export function parseEventBatch(text: string): { batch: EventBatch } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  const parsed = eventBatchSchema.safeParse(json);
  // null losses are stored as null (real() in the journal): the engine's types say number, JSON cannot.
  return parsed.success ? { batch: parsed.data as unknown as EventBatch } : { error: describeIssues(parsed.error.issues.map(fieldIssue)) };
}
