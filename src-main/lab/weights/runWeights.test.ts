import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateWeights } from '../../engine/train/evaluateWeights';
import { decodeWeightsFile, weightsMetadataKeys } from '../../engine/weights/weightsFile';
import type { ArchiveFile, RunInfo, RunsStarted } from '../api/labApi';
import { oneRunRequest } from '../runSpec/runRequests.testkit';
import { openTestLab, type TestLab } from '../testLab.testkit';
import { runWeightsFile } from './runWeights';

let lab: TestLab;
beforeAll(async () => {
  lab = await openTestLab('curvelab-weights-');
});
afterAll(() => lab.close());

/** 64 training examples in batches of 32: the 6 steps end at an epoch's end, so the last validation is the final model's. */
const smallMlp = { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '16' }, batchSize: 32, trainSize: 64, steps: 6, seed: 2 } as const;

async function trainedRun(request: Parameters<typeof oneRunRequest>[0]): Promise<RunInfo> {
  const { runs } = await lab.value<RunsStarted>('startRuns', oneRunRequest(request));
  await lab.lab.idle();
  return lab.value<RunInfo>('getRun', { id: runs[0]!.id });
}

describe("a run's weights", () => {
  let run: RunInfo;
  let weightsPath: string;

  beforeAll(async () => {
    run = await trainedRun({ ...smallMlp, optimizer: 'adam' });
    weightsPath = join(lab.dir, 'exported.safetensors');
  });

  it('are kept by the worker beside the database and exported through the API, with the model and run specs', async () => {
    expect(run.status).toBe('completed');
    expect(existsSync(runWeightsFile(join(lab.dir, 'lab.db'), run.uid)!)).toBe(true);
    const file = await lab.value<ArchiveFile>('exportWeights', { runId: run.id });
    expect(file.fileName).toBe(`run-${run.id}.safetensors`);
    const bytes = Buffer.from(file.base64, 'base64');
    writeFileSync(weightsPath, bytes);
    const decoded = decodeWeightsFile(bytes, weightsPath);
    expect(decoded.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['layers.1.weight', [16, 784]],
      ['layers.1.bias', [16]],
      ['layers.3.weight', [10, 16]],
      ['layers.3.bias', [10]],
    ]);
    expect(decoded.modelSpec?.layers.map((l) => l.type)).toEqual(['flatten', 'dense', 'relu', 'dense']);
    expect(JSON.parse(decoded.metadata[weightsMetadataKeys.runSpec]!)).toEqual(run.spec);
    expect(JSON.parse(decoded.metadata[weightsMetadataKeys.inputNormalization]!)).toMatchObject({ mean: [expect.any(Number)], std: [expect.any(Number)] });
  });

  it("evaluated on the validation split, give the run's own final validation loss and accuracy", async () => {
    const evaluation = await evaluateWeights({ weights: weightsPath, dataset: 'mnist', split: 'validation' });
    expect(evaluation.loss).toBeCloseTo(run.valLoss!, 5);
    expect(evaluation.accuracy).toBeCloseTo(run.valAccuracy!, 6);
  });

  it('start a new run: its first full-batch loss on the same examples is the exported model\'s', async () => {
    // The first run's trainEvalLoss is its final model on its 64 training examples; an MLP has no batch
    // norm or dropout, so the new run's first step (train mode, the same 64 examples drawn from seed 2) sees the same.
    const next = await trainedRun({ ...smallMlp, batchSize: 'full', steps: 1, optimizer: 'sgd', initFrom: weightsPath });
    expect(next.status).toBe('completed');
    expect(next.spec.initFrom).toBe(weightsPath);
    expect(next.trainLoss).toBeCloseTo(run.trainEvalLoss!, 5);
    const fresh = await trainedRun({ ...smallMlp, batchSize: 'full', steps: 1, optimizer: 'sgd' });
    expect(Math.abs(fresh.trainLoss! - run.trainEvalLoss!)).toBeGreaterThan(0.01);
  });

  it("are refused as a start for another model, or truncated, naming the file, and nothing is written", async () => {
    const before = (await lab.value<RunInfo[]>('listRuns', {})).length;
    const other = await lab.call('startRuns', oneRunRequest({ ...smallMlp, archOptions: { widths: '8' }, optimizer: 'sgd', initFrom: weightsPath }));
    expect(other).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'base.initFrom' } });
    expect(!other.ok && other.error.message).toContain(`${weightsPath}: tensor "layers.1.weight" has shape [16, 784], but this model's is [8, 784]`);
    const cut = join(lab.dir, 'cut.safetensors');
    writeFileSync(cut, Buffer.from((await lab.value<ArchiveFile>('exportWeights', { runId: run.id })).base64, 'base64').subarray(0, 1000));
    const truncated = await lab.call('checkRuns', oneRunRequest({ ...smallMlp, optimizer: 'sgd', initFrom: cut }));
    expect(truncated).toMatchObject({ ok: true, value: { issues: [{ field: 'base.initFrom', message: expect.stringContaining(`${cut}: the file is truncated`) }] } });
    expect((await lab.value<RunInfo[]>('listRuns', {})).length).toBe(before);
  });

  it('are gone with their run, and a run without weights says so', async () => {
    const path = runWeightsFile(join(lab.dir, 'lab.db'), run.uid)!;
    await lab.value('deleteRun', { id: run.id });
    expect(existsSync(path)).toBe(false);
    const none = await lab.call('exportWeights', { runId: run.id });
    expect(none).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const missing = await lab.call('exportWeights', { runId: 9999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', message: 'no run with id 9999' } });
  });
});
