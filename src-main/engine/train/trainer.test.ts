import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import { evalContext } from '../nn/model';
import { optimizerDescriptors } from '../optim/registry';
import { Rng } from '../rng';
import { tf } from '../tf';
import { buildModel, datasetIO } from './buildModel';
import type { RunSpec } from '../../shared/runSpec';
import { train } from './trainer';
import type { EpochEvent, StepEvent, TrainEvent } from './trainEvents';

/** A small separable 3-class problem, in memory. */
function blobs(n: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const split = (count: number) => {
    const x = new Float32Array(count * 4);
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const label = i % 3;
      y[i] = label;
      for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === label ? 2 : 0) + 0.5 * rng.normal();
    }
    return { x, y, n: count };
  };
  return {
    name: 'blobs',
    source: 'test',
    task: 'classification',
    inputShape: [4],
    numClasses: 3,
    targetSize: 1,
    train: split(n),
    validation: split(30),
    augment: false,
  };
}

function spec(overrides: Partial<RunSpec>): RunSpec {
  return {
    dataset: 'blobs',
    arch: 'mlp',
    archOptions: { widths: '8' },
    optimizer: 'sgd',
    optimizerOptions: {},
    epochs: 1,
    batchSize: 16,
    shuffle: true,
    init: 'default',
    seed: 3,
    ...overrides,
  };
}

async function collect(s: RunSpec, dataset: Dataset, signal?: AbortSignal) {
  const events: TrainEvent[] = [];
  const done = await train(s, dataset, { onEvent: (e) => events.push(e), backend: { name: 'cpu', reason: 'test' }, ...(signal ? { signal } : {}) });
  return { events, done, steps: events.filter((e): e is StepEvent => e.type === 'step') };
}

describe('train', () => {
  it('reports start, every step, an epoch with validation and done, in order', async () => {
    const dataset = blobs(64, 1);
    const { events, done, steps } = await collect(spec({ epochs: 2 }), dataset);
    expect(events[0].type).toBe('start');
    expect(events.at(-1)).toBe(done);
    expect(steps.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const epochs = events.filter((e): e is EpochEvent => e.type === 'epoch');
    expect(epochs.map((e) => [e.epoch, e.steps])).toEqual([
      [0, 4],
      [1, 8],
    ]);
    expect(done).toMatchObject({ status: 'completed', steps: 8, backend: 'cpu' });
    expect(done.valLoss).toBe(epochs[1].valLoss);
    expect(steps.every((s, i) => i === 0 || s.seconds >= steps[i - 1].seconds)).toBe(true);
  });

  it("trains each step on exactly its batch's rows, partial last batches and later epochs included", async () => {
    // lr 0 keeps the initial weights, so each step's loss is the initial model's loss on that step's rows.
    const dataset = blobs(40, 5);
    const s = spec({ epochs: 2, shuffle: false, optimizerOptions: { lr: 0 } });
    const { steps } = await collect(s, dataset);
    const model = buildModel(s.arch, s.archOptions, datasetIO(dataset));
    const params = model.initParams(s.seed, s.init);
    const rowLoss = (first: number, count: number) =>
      tf.tidy(() => {
        const x = tf.tensor(dataset.train.x.slice(first * 4, (first + count) * 4), [count, 4]);
        const y = tf.tensor1d(dataset.train.y.slice(first, first + count), 'int32');
        return softmaxCrossEntropy.value(model.forward(x, params, evalContext({})).y, y).dataSync()[0];
      });
    const expected = [rowLoss(0, 16), rowLoss(16, 16), rowLoss(32, 8)];
    expect(steps.map((e) => e.loss)).toHaveLength(6);
    steps.forEach((e, i) => expect(e.loss, `step ${i}`).toBeCloseTo(expected[i % 3], 5));
    Object.values(params).forEach((t) => t.dispose());
  });

  it('with --steps stops mid-epoch and still validates', async () => {
    const { done, events } = await collect(spec({ epochs: undefined, steps: 3 }), blobs(64, 1));
    expect(done.steps).toBe(3);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(1);
    expect(done.valAccuracy).not.toBeNull();
  });

  it('gives every optimizer the same initial weights and batches for one seed (paired runs)', async () => {
    const dataset = blobs(48, 2);
    const first = await collect(spec({ optimizer: 'sgd', steps: 3, epochs: undefined }), dataset);
    const second = await collect(spec({ optimizer: 'adam', steps: 3, epochs: undefined }), dataset);
    const other = await collect(spec({ optimizer: 'sgd', steps: 3, epochs: undefined, seed: 4 }), dataset);
    // Step 0's loss depends only on the initial weights and the first batch.
    expect(second.steps[0].loss).toBe(first.steps[0].loss);
    expect(other.steps[0].loss).not.toBe(first.steps[0].loss);
  });

  it('counts passes: SGD one forward and one backward per step; CurveBall adds two forward-mode passes', async () => {
    const dataset = blobs(48, 3);
    const sgd = await collect(spec({ steps: 3, epochs: undefined }), dataset);
    expect(sgd.steps.at(-1)).toMatchObject({ forwardPasses: 3, backwardPasses: 3, forwardModePasses: 0 });
    const cb = await collect(spec({ optimizer: 'curveball', steps: 6, epochs: undefined }), dataset);
    // The model-fit ratio re-evaluates the loss on steps 0 and 5 (every 5th step).
    expect(cb.steps.at(-1)).toMatchObject({ forwardPasses: 8, backwardPasses: 6, forwardModePasses: 12 });
  });

  it('ends as diverged, not as a crash, when the loss stops being finite', async () => {
    const { done } = await collect(spec({ optimizerOptions: { lr: 1e30 }, epochs: 3 }), blobs(64, 4));
    expect(done.status).toBe('diverged');
    expect(done.reason).toMatch(/loss at step \d+ is (NaN|Infinity)/);
  });

  it('can be cancelled between steps', async () => {
    const controller = new AbortController();
    const events: TrainEvent[] = [];
    const done = await train(spec({ epochs: 5 }), blobs(64, 5), {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'step' && e.step === 1) controller.abort();
      },
      signal: controller.signal,
      backend: { name: 'cpu', reason: 'test' },
    });
    expect(done.status).toBe('cancelled');
    expect(done.steps).toBe(2);
  });

  it.each(optimizerDescriptors().map((d) => d.name))('keeps the number of live tensors flat across steps (%s)', async (optimizer) => {
    const dataset = blobs(40, 6);
    const before = tf.memory().numTensors;
    const liveAtEachStep: number[] = [];
    const done = await train(spec({ optimizer, arch: 'mlp', archOptions: { widths: '6' }, batchSize: 8, epochs: 2 }), dataset, {
      onEvent: (e) => (e.type === 'step' ? liveAtEachStep.push(tf.memory().numTensors) : undefined),
      backend: { name: 'cpu', reason: 'test' },
    });
    expect(done.status).toBe('completed');
    expect(liveAtEachStep).toHaveLength(10);
    expect(new Set(liveAtEachStep).size, `live tensors per step: ${liveAtEachStep}`).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns: CurveBall reaches high validation accuracy on a separable problem', async () => {
    const { done } = await collect(spec({ optimizer: 'curveball', epochs: 3 }), blobs(96, 7));
    expect(done.valAccuracy).toBeGreaterThan(0.9);
  });

  it('runs basic-cnn-bn with CurveBall for a few steps (batch-norm, pools and convs end to end)', async () => {
    const rng = new Rng(8);
    const images = (count: number) => ({
      x: Float32Array.from({ length: count * 12 * 12 * 3 }, () => rng.normal()),
      y: Int32Array.from({ length: count }, (_, i) => i % 4),
      n: count,
    });
    const dataset: Dataset = {
      name: 'noise',
      source: 'test',
      task: 'classification',
      inputShape: [12, 12, 3],
      numClasses: 4,
      targetSize: 1,
      train: images(12),
      validation: images(4),
      augment: true,
    };
    const { done, steps } = await collect(spec({ arch: 'basic-cnn-bn', archOptions: {}, optimizer: 'curveball', batchSize: 4, epochs: 1 }), dataset);
    expect(done.status).toBe('completed');
    expect(steps).toHaveLength(3);
    for (const s of steps) {
      expect(Number.isFinite(s.loss)).toBe(true);
      expect(Number.isFinite(s.trace.rho) && Number.isFinite(s.trace.beta)).toBe(true);
    }
    expect(steps[0].trace.rho).toBe(0);
  });
});
