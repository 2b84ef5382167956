import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { syntheticDataset } from '../bench/syntheticDataset';
import { CheckpointFolder } from '../checkpoint/checkpointFolder';
import type { Dataset } from '../data/dataset';
import { close, trainOn, type TrainedRun } from '../train/trainingRuns.testkit';
import type { TrainEvent } from '../train/trainEvents';
import { disposeWebGpu } from '../webgpu/loadWebGpuBackend';
import { gpuWorkOfSteps } from '../webgpu/stepGpuWork.testkit';
import { describeWithWebGpu, setUpWebGpuForTests } from '../webgpu/webgpuTestSetup.testkit';
import type { ModelSpec } from '../../shared/modelSpec';
import type { RunSpec } from '../../shared/runSpec';

/**
 * CurveBall with its scalars on the device (webgpu): β, ρ, the fit ratio and λ computed there and read with
 * the step's metrics, without waiting. Against cpu (the float64 host path) to the webgpu parity tolerance
 * (webgpuTraining.test.ts), in GPU work per step against the same runs with the device path switched off,
 * and resumed from a checkpoint against the uninterrupted run.
 */
const switches = vi.hoisted(() => ({ scalarsOnDevice: true }));
vi.mock('./stepScalars', async (importOriginal) => {
  const original = await importOriginal<typeof import('./stepScalars')>();
  return { ...original, scalarsOnDevice: () => switches.scalarsOnDevice && original.scalarsOnDevice() };
});

const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());
const dir = mkdtempSync(join(tmpdir(), 'curvelab-curveball-on-device-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PARITY_TOLERANCE = 1e-3;
const STEPS = 12;
const BATCH = 8;

const cnn: Partial<ModelSpec> = {
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'maxPool', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
};

/**
 * λ adapted every 2nd step, with a narrow band and a large factor, so that it changes on most of them:
 * the device's λ rule is exercised both ways and its errors would show in λ (a wrong change is 0.9² off).
 */
function curveballRun(overrides: Partial<RunSpec>): RunSpec {
  return {
    dataset: 'synthetic',
    arch: 'mlp',
    archOptions: { widths: '8' },
    optimizer: 'curveball',
    optimizerOptions: { lambdaInterval: 2, lambdaFactor: 0.9, lambdaLow: 0.8, lambdaHigh: 0.95 },
    steps: STEPS,
    batchSize: BATCH,
    shuffle: true,
    init: 'default',
    seed: 3,
    ...overrides,
  };
}

async function expectCpuParity(spec: RunSpec, data: Dataset): Promise<void> {
  const cpu = await trainOn('cpu', spec, data);
  const gpu = await trainOn('webgpu', spec, data);
  expect(gpu.done.status).toBe('completed');
  expect(gpu.steps).toHaveLength(STEPS);
  expect(gpu.steps.map((e) => Object.keys(e.trace))).toEqual(cpu.steps.map((e) => Object.keys(e.trace)));
  // λ changed on at least two of its adaptations (the test's premise), on cpu and alike on webgpu.
  expect(cpu.steps[STEPS - 1].trace.lambdaChanges).toBeGreaterThanOrEqual(2);
  expect(gpu.steps.map((e) => e.trace.lambdaChanges)).toEqual(cpu.steps.map((e) => e.trace.lambdaChanges));
  cpu.steps.forEach((c, i) => {
    const g = gpu.steps[i];
    expect(close(g.loss, c.loss, PARITY_TOLERANCE), `step ${c.step} loss: webgpu ${g.loss}, cpu ${c.loss}`).toBe(true);
    for (const key of Object.keys(c.trace)) {
      expect(close(g.trace[key], c.trace[key], PARITY_TOLERANCE), `step ${c.step} ${key}: webgpu ${g.trace[key]}, cpu ${c.trace[key]}`).toBe(true);
    }
  });
}

/** The events without wall-clock time and the epochs' GPU counts: how a run ran, no part of its trajectory. */
function withoutTime(events: TrainEvent[]): unknown[] {
  return events.map((e) => ('seconds' in e ? { ...e, seconds: 0, ...('gpuWorkPerStep' in e ? { gpuWorkPerStep: undefined } : {}) } : e));
}

/**
 * The run on `from` in full, and again with a checkpoint every 5 steps, cancelled once step 6's event is in;
 * then resumed on `to` from its last checkpoint (written at the cancellation, a step or more later).
 */
async function checkpointedAndResumed(from: 'cpu' | 'webgpu', to: 'cpu' | 'webgpu', name: string): Promise<{ whole: TrainedRun; resumed: TrainedRun; fromStep: number }> {
  const data = syntheticDataset([6], 3, 96, 5);
  const spec = curveballRun({});
  const whole = await trainOn(from, spec, data);
  const folder = new CheckpointFolder(join(dir, name));
  const cancel = new AbortController();
  const first = await trainOn(from, spec, data, {
    signal: cancel.signal,
    checkpoints: { folder, every: { steps: 5 } },
    onEvent: (e) => {
      if (e.type === 'step' && e.step === 6) cancel.abort();
    },
  });
  expect(first.done.status).toBe('cancelled');
  const resumed = await trainOn(to, spec, data, { checkpoints: { folder, every: { steps: 5 } } });
  const fromStep = first.done.steps;
  expect(fromStep).toBeGreaterThan(6);
  expect(fromStep).toBeLessThan(STEPS);
  expect(resumed.steps[0].step).toBe(fromStep);
  return { whole, resumed, fromStep };
}

describeWithWebGpu('CurveBall with its scalars on the device (webgpu)', setup, () => {
  it('an MLP: the losses and traces of cpu, step by step', async () => {
    await expectCpuParity(curveballRun({}), syntheticDataset([6], 3, 96, 5));
  });

  it('the same events when the trainer reads each step at once (the device trace read with the metrics, waiting)', async () => {
    const data = syntheticDataset([6], 3, 96, 5);
    const asynchronous = await trainOn('webgpu', curveballRun({}), data);
    const synchronous = await trainOn('webgpu', curveballRun({}), data, { asyncMetrics: false });
    expect(synchronous.steps[STEPS - 1].trace.lambdaChanges).toBeGreaterThanOrEqual(2);
    expect(withoutTime(synchronous.events)).toEqual(withoutTime(asynchronous.events));
  });

  it('a CNN (conv, batch-norm, max-pool), with weight decay: the losses and traces of cpu', async () => {
    const spec = curveballRun({ arch: cnn as ModelSpec, archOptions: {} });
    await expectCpuParity({ ...spec, optimizerOptions: { ...spec.optimizerOptions, weightDecay: 0.01 } }, syntheticDataset([6, 6, 1], 3, 96, 5));
  });

  it('interleaved with momentum SGD steps (interleave 2, on the device too): the losses and traces of cpu', async () => {
    const spec = curveballRun({});
    await expectCpuParity({ ...spec, optimizerOptions: { ...spec.optimizerOptions, interleave: 2, interleaveWindow: 2 } }, syntheticDataset([6], 3, 96, 5));
  });

  it('interleaved: no blocking read in a λ step, an SGD step or a steady CurveBall step', async () => {
    // interleave 2, λ adapted every 4th step: step 4 adapts λ, step 5 is momentum SGD, step 6 a steady CurveBall step.
    const data = syntheticDataset([64], 4, 16 * 10);
    const spec: RunSpec = {
      dataset: data.name,
      arch: 'mlp',
      archOptions: { widths: '32' },
      optimizer: 'curveball',
      optimizerOptions: { interleave: 2, lambdaInterval: 4 },
      batchSize: 16,
      shuffle: false,
      init: 'default',
      seed: 1,
    };
    const perStep = await gpuWorkOfSteps(spec, data, 4, 6);
    expect([4, 5, 6].map((step) => perStep.get(step)!.blockingReadbacks)).toEqual([0, 0, 0]);
  });

  it('no blocking read in a steady step nor in a λ step, where the host path makes 1 and 3', async () => {
    // MLP 64-32-4, batch 16, λ adapted every 5th step (the default): step 5 adapts λ, step 6 does not.
    const data = syntheticDataset([64], 4, 16 * 10);
    const spec: RunSpec = { dataset: data.name, arch: 'mlp', archOptions: { widths: '32' }, optimizer: 'curveball', optimizerOptions: {}, batchSize: 16, shuffle: false, init: 'default', seed: 1 };
    const blockingReads = async (): Promise<number[]> => {
      const perStep = await gpuWorkOfSteps(spec, data, 5, 6);
      console.log(`webgpu MLP CurveBall (scalars on the device: ${switches.scalarsOnDevice}), step 5 (adapts λ): ${JSON.stringify(perStep.get(5))}; step 6: ${JSON.stringify(perStep.get(6))}`);
      return [perStep.get(5)!.blockingReadbacks, perStep.get(6)!.blockingReadbacks];
    };
    switches.scalarsOnDevice = false;
    try {
      // The inner products, plus on the λ step the loss at the new weights and the loss itself.
      expect(await blockingReads()).toEqual([3, 1]);
    } finally {
      switches.scalarsOnDevice = true;
    }
    expect(await blockingReads()).toEqual([0, 0]);
  });

  it('resumed from a checkpoint, goes on as the uninterrupted run', async () => {
    const { whole, resumed, fromStep } = await checkpointedAndResumed('webgpu', 'webgpu', 'resumed');
    const tail = whole.events.slice(whole.events.findIndex((e) => e.type === 'step' && e.step === fromStep));
    expect(withoutTime(resumed.events.slice(1))).toEqual(withoutTime(tail));
  });

  for (const [from, to] of [
    ['webgpu', 'cpu'],
    ['cpu', 'webgpu'],
  ] as const) {
    it(`a checkpoint written on ${from} resumes on ${to} (λ and the averages go from tensors to numbers or back)`, async () => {
      const { whole, resumed, fromStep } = await checkpointedAndResumed(from, to, `${from}-to-${to}`);
      expect(resumed.done.status).toBe('completed');
      expect(resumed.steps.map((e) => e.step)).toEqual(whole.steps.slice(fromStep).map((e) => e.step));
      resumed.steps.forEach((r) => {
        const w = whole.steps[r.step];
        expect(close(r.loss, w.loss, PARITY_TOLERANCE), `step ${r.step} loss: ${r.loss} against ${w.loss}`).toBe(true);
        for (const key of Object.keys(w.trace)) expect(close(r.trace[key], w.trace[key], PARITY_TOLERANCE), `step ${r.step} ${key}: ${r.trace[key]} against ${w.trace[key]}`).toBe(true);
      });
    });
  }
});
