import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { decodeCheckpoint, type TrainingProgress } from '../checkpoint/checkpointFile';
import { CheckpointFolder } from '../checkpoint/checkpointFolder';
import type { Dataset, Split } from '../data/dataset';
import { Model } from '../nn/model';
import type { RunShape } from '../optim/optimizer';
import { createOptimizer } from '../optim/registry';
import { Rng } from '../rng';
import { tf } from '../tf';
import { disposeWebGpu } from '../webgpu/loadWebGpuBackend';
import { describeWithWebGpu, setUpWebGpuForTests } from '../webgpu/webgpuTestSetup.testkit';
import type { RunSpec } from '../../shared/runSpec';
import { buildModel, datasetIO } from './buildModel';
import { metricsInFlight, type TrainOptions } from './trainer';
import { close, trainOn } from './trainingRuns.testkit';
import type { StepEvent, TrainEvent } from './trainEvents';

/**
 * The trainer's asynchronous step metrics (TrainOptions.asyncMetrics, the default on webgpu) against its
 * synchronous path: the same steps, epochs, divergence and checkpoint progress, with the values read a
 * few steps behind. On webgpu (lavapipe in CI) also against cpu, and with the backend's synchronous reads
 * counted; on cpu with the asynchronous path forced, where both paths must agree to the bit.
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());
const dir = mkdtempSync(join(tmpdir(), 'curvelab-async-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The cpu parity tolerance of the webgpu training tests (webgpuTraining.test.ts). */
const PARITY_TOLERANCE = 1e-3;

/** Three classes in six features, each lighting up its own pair under noise; `poisonRow` gets an infinite feature. */
function blobs(n: number, seed: number, poisonRow?: number): Dataset {
  const rng = new Rng(seed);
  const split = (count: number): Split => {
    const x = new Float32Array(count * 6);
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      y[i] = i % 3;
      for (let j = 0; j < 6; j++) x[i * 6 + j] = (Math.floor(j / 2) === y[i] ? 1 : 0) + 0.5 * rng.normal();
    }
    return { x, y, n: count };
  };
  const train = split(n);
  if (poisonRow !== undefined) train.x[poisonRow * 6] = Infinity;
  return { name: 'blobs', source: 'test', task: 'classification', inputShape: [6], numClasses: 3, targetSize: 1, train, validation: split(24), augment: false };
}

function spec(overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    dataset: 'blobs',
    arch: 'mlp',
    archOptions: { widths: '8' },
    optimizer: 'sgd',
    optimizerOptions: { lr: 0.1 },
    steps: 20,
    batchSize: 8,
    shuffle: true,
    init: 'default',
    seed: 3,
    ...overrides,
  };
}

/** The events without wall-clock time and the epochs' GPU counts: how a run ran, no part of its trajectory. */
function withoutTime(events: TrainEvent[]): unknown[] {
  return events.map((e) => ('seconds' in e ? { ...e, seconds: 0, ...('gpuWorkPerStep' in e ? { gpuWorkPerStep: undefined } : {}) } : e));
}

/** Step events equal in everything but time, loss and accuracy to `tolerance`. */
function expectSameSteps(actual: StepEvent[], expected: StepEvent[], tolerance: number): void {
  expect(actual.map((e) => [e.step, e.epoch, e.forwardPasses, e.backwardPasses, e.trace])).toEqual(expected.map((e) => [e.step, e.epoch, e.forwardPasses, e.backwardPasses, e.trace]));
  actual.forEach((e, i) => {
    expect(close(e.loss, expected[i].loss, tolerance), `step ${e.step} loss: ${e.loss} against ${expected[i].loss}`).toBe(true);
    expect(close(e.accuracy, expected[i].accuracy, tolerance), `step ${e.step} accuracy: ${e.accuracy} against ${expected[i].accuracy}`).toBe(true);
  });
}

/** How many steps after the bad one the run says it noticed it (0 when it says nothing). */
function stepsLate(reason: string | undefined): number {
  const match = /noticed (\d+) steps? later/.exec(reason ?? '');
  return match ? Number(match[1]) : 0;
}

/** A folder that also keeps the progress of every checkpoint written, read back as a resuming run reads it. */
class RecordingFolder extends CheckpointFolder {
  readonly progress = new Map<number, TrainingProgress>();

  constructor(
    name: string,
    private readonly s: RunSpec,
    private readonly data: Dataset,
    private readonly run: RunShape,
  ) {
    super(join(dir, name));
  }

  override write(step: number, bytes: Uint8Array): string {
    const model = buildModel(this.s.arch, this.s.archOptions, datasetIO(this.data));
    const owner = { spec: this.s, model, optimizer: createOptimizer(this.s.optimizer, this.s.optimizerOptions), run: this.run };
    const checkpoint = decodeCheckpoint(bytes, `step-${step}`, owner);
    tf.dispose([...Object.values(checkpoint.params), ...Object.values(checkpoint.modelState)]);
    const { progress } = checkpoint;
    this.progress.set(step, { ...progress, seconds: 0, lastEpoch: progress.lastEpoch && { ...progress.lastEpoch, seconds: 0, gpuWorkPerStep: undefined } });
    return super.write(step, bytes);
  }
}

/**
 * A run with a checkpoint every 5 steps, cancelled once step `cancelAfter`'s event is in, on the
 * asynchronous path; then the synchronous run cancelled where that one stopped. Both checkpoints'
 * progress, at every step either wrote one, is returned.
 */
async function checkpointedAndCancelled(backend: 'cpu' | 'webgpu', name: string, cancelAfter: number) {
  const s = spec({ steps: 40 });
  const data = blobs(48, 2);
  const run = async (asyncMetrics: boolean, stopAfter: number) => {
    const folder = new RecordingFolder(`${name}-${asyncMetrics ? 'async' : 'sync'}`, s, data, { totalSteps: 40, stepsPerEpoch: 6 });
    const cancel = new AbortController();
    const { done } = await trainOn(backend, s, data, {
      asyncMetrics,
      signal: cancel.signal,
      checkpoints: { folder, every: { steps: 5 } },
      onEvent: (e) => {
        if (e.type === 'step' && e.step === stopAfter) cancel.abort();
      },
    });
    expect(done.status).toBe('cancelled');
    return { done, folder };
  };
  const asynchronous = await run(true, cancelAfter);
  // The asynchronous run took a few more steps before the cancellation was seen: the same end for the synchronous one.
  const synchronous = await run(false, asynchronous.done.steps - 1);
  return { asynchronous, synchronous, s, data };
}

describeWithWebGpu('step metrics read without waiting on webgpu', setup, () => {
  it('reports the steps of the synchronous path, and of cpu to the parity tolerance: SGD on an MLP, 20 steps over three epochs', async () => {
    const data = blobs(64, 1);
    const asynchronous = await trainOn('webgpu', spec(), data);
    const synchronous = await trainOn('webgpu', spec(), data, { asyncMetrics: false });
    const cpu = await trainOn('cpu', spec(), data);
    expect(asynchronous.done.status).toBe('completed');
    expect(asynchronous.steps.map((e) => e.step)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(asynchronous.events.map((e) => e.type)).toEqual(synchronous.events.map((e) => e.type));
    expectSameSteps(asynchronous.steps, synchronous.steps, 1e-6);
    expectSameSteps(asynchronous.steps, cpu.steps, PARITY_TOLERANCE);
    expect(close(asynchronous.done.trainLoss, cpu.done.trainLoss, PARITY_TOLERANCE)).toBe(true);
    expect(close(asynchronous.done.valLoss, cpu.done.valLoss, PARITY_TOLERANCE)).toBe(true);
  });

  it('makes no blocking read in an SGD step once it runs (steps 3 to 10); the synchronous path makes at least one a step', async () => {
    const backend = tf.findBackend('webgpu')!;
    /** The backend's synchronous reads during steps 3..10, each step known by its one forward pass (SGD). */
    const readsInSteps3To10 = async (options: Partial<TrainOptions>): Promise<number> => {
      const log: ('forward' | 'read')[] = [];
      const read = backend.readSync.bind(backend);
      const reads = vi.spyOn(backend, 'readSync').mockImplementation((dataId) => {
        log.push('read');
        return read(dataId);
      });
      const forward = Model.prototype.forward;
      const forwards = vi.spyOn(Model.prototype, 'forward').mockImplementation(function (this: Model, x, params, ctx) {
        log.push('forward');
        return forward.call(this, x, params, ctx);
      });
      try {
        // One epoch of 12 steps: the validation after it comes after step 11's forward pass.
        const { done } = await trainOn('webgpu', spec({ steps: 12 }), blobs(96, 4), options);
        expect(done.status).toBe('completed');
      } finally {
        reads.mockRestore();
        forwards.mockRestore();
      }
      const forwardAt = log.flatMap((entry, i) => (entry === 'forward' ? [i] : []));
      return log.slice(forwardAt[3], forwardAt[11]).filter((entry) => entry === 'read').length;
    };
    const synchronous = await readsInSteps3To10({ asyncMetrics: false });
    // The default on webgpu.
    const asynchronous = await readsInSteps3To10({});
    expect(synchronous).toBeGreaterThanOrEqual(8);
    expect(asynchronous).toBe(0);
  });

  it(`ends diverged at a non-finite loss noticed up to ${metricsInFlight} steps late, recording only the steps before it`, async () => {
    // In order, 8 a batch: row 48 is in step 6's batch.
    const s = spec({ shuffle: false });
    const data = blobs(96, 5, 48);
    const asynchronous = await trainOn('webgpu', s, data);
    const synchronous = await trainOn('webgpu', s, data, { asyncMetrics: false });
    for (const run of [asynchronous, synchronous]) {
      expect(run.done.status).toBe('diverged');
      expect(run.done.steps).toBe(6);
      expect(run.steps.map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(run.done.reason).toMatch(/^the batch loss at step 6 is (NaN|Infinity)/);
      expect(run.events.filter((e) => e.type === 'epoch')).toEqual([]);
    }
    expectSameSteps(asynchronous.steps, synchronous.steps, 1e-6);
    expect(asynchronous.done.trainLoss).toBe(asynchronous.steps[5].loss);
    // Step 6's read may be in as soon as the loop looks (right after taking it), or up to 3 steps later:
    // how late depends on the device; the reason says so whenever it was late.
    const late = stepsLate(asynchronous.done.reason);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(metricsInFlight);
    if (late > 0) expect(asynchronous.done.reason).toContain(`up to ${metricsInFlight} steps behind`);
    expect(stepsLate(synchronous.done.reason)).toBe(0);
  });

  it(`holds at most ${metricsInFlight} steps' metrics tensors at once and leaves none behind (CurveBall, which also reads the loss itself)`, async () => {
    const tensorCounts = async (options: Partial<TrainOptions>) => {
      await tf.setBackend('webgpu');
      const before = tf.memory().numTensors;
      const atSteps: number[] = [];
      const { done } = await trainOn('webgpu', spec({ optimizer: 'curveball', optimizerOptions: {}, steps: 12 }), blobs(64, 6), {
        ...options,
        onEvent: (e) => {
          if (e.type === 'step') atSteps.push(tf.memory().numTensors);
        },
      });
      expect(done.status).toBe('completed');
      return { atSteps: atSteps.slice(1), left: tf.memory().numTensors - before };
    };
    const synchronous = await tensorCounts({ asyncMetrics: false });
    const asynchronous = await tensorCounts({});
    expect(new Set(synchronous.atSteps).size).toBe(1);
    expect([synchronous.left, asynchronous.left]).toEqual([0, 0]);
    // Beside the synchronous path's tensors, only the metrics of the steps whose reads are under way.
    const extra = asynchronous.atSteps.map((n) => n - synchronous.atSteps[0]);
    expect(Math.min(...extra)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...extra)).toBeLessThanOrEqual(metricsInFlight);
  });

  it('a checkpoint and a cancellation record the progress of the synchronous path', async () => {
    const { asynchronous, synchronous } = await checkpointedAndCancelled('webgpu', 'webgpu', 12);
    expect(asynchronous.done.steps).toBeGreaterThan(13);
    expect([...asynchronous.folder.progress.keys()]).toEqual(expect.arrayContaining([5, 10, asynchronous.done.steps]));
    expect(asynchronous.folder.progress).toEqual(synchronous.folder.progress);
  });
});

describe('step metrics read without waiting, forced on cpu: the same numbers to the bit', () => {
  it('the same events as the synchronous path', async () => {
    const data = blobs(64, 1);
    const asynchronous = await trainOn('cpu', spec({ optimizer: 'adam', optimizerOptions: {} }), data, { asyncMetrics: true });
    const synchronous = await trainOn('cpu', spec({ optimizer: 'adam', optimizerOptions: {} }), data);
    expect(asynchronous.steps).toHaveLength(20);
    expect(withoutTime(asynchronous.events)).toEqual(withoutTime(synchronous.events));
  });

  it('a loss above the divergence bound, noticed a step late: the same steps recorded, the bad one last, and the reason says so', async () => {
    const data = blobs(64, 4);
    const s = spec({ optimizerOptions: { lr: 100 }, steps: 40 });
    const asynchronous = await trainOn('cpu', s, data, { asyncMetrics: true });
    const synchronous = await trainOn('cpu', s, data);
    expect(synchronous.done.status).toBe('diverged');
    expect(withoutTime(asynchronous.steps)).toEqual(withoutTime(synchronous.steps));
    expect({ ...asynchronous.done, seconds: 0, reason: '' }).toEqual({ ...synchronous.done, seconds: 0, reason: '' });
    expect(asynchronous.done.reason!.startsWith(synchronous.done.reason!)).toBe(true);
    // On cpu a read is in once the loop has yielded: the step after the bad one has been taken by then.
    expect(stepsLate(asynchronous.done.reason)).toBe(1);
  });

  it('a checkpoint and a cancellation record the progress of the synchronous path, and resuming from them retraces the run', async () => {
    const { asynchronous, synchronous, s, data } = await checkpointedAndCancelled('cpu', 'cpu', 12);
    expect(asynchronous.done.steps).toBeGreaterThan(13);
    expect(asynchronous.folder.progress.size).toBeGreaterThanOrEqual(3);
    expect(asynchronous.folder.progress).toEqual(synchronous.folder.progress);

    const whole = await trainOn('cpu', s, data);
    const resumed = await trainOn('cpu', s, data, { asyncMetrics: true, checkpoints: { folder: asynchronous.folder, every: { steps: 5 } } });
    const fromStep = asynchronous.done.steps;
    expect(resumed.steps[0].step).toBe(fromStep);
    const tail = whole.events.slice(whole.events.findIndex((e) => e.type === 'step' && e.step === fromStep));
    expect(withoutTime(resumed.events.slice(1))).toEqual(withoutTime(tail));
  });
});
