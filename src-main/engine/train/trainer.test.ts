import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { softmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import { evalContext } from '../nn/model';
import { optimizerDescriptors } from '../optim/registry';
import { Rng } from '../rng';
import { seededSubset } from '../data/subset';
import { tf } from '../tf';
import { buildModel, datasetIO } from './buildModel';
import type { RunSpec } from '../../shared/runSpec';
import { train } from './trainer';
import type { EpochEvent, StartEvent, StepEvent, TrainEvent } from './trainEvents';

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

/** `count` images of standard-normal noise drawn from `rng`, their labels cycling through the classes. */
function noiseImages(rng: Rng, count: number, shape: number[], classes: number): Dataset['train'] {
  return {
    x: Float32Array.from({ length: count * shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    y: Int32Array.from({ length: count }, (_, i) => i % classes),
    n: count,
  };
}

/** The split with each example's first feature replaced by its row number, to see which rows a subset holds. */
function withRowNumbers(split: Dataset['train']): Dataset['train'] {
  const x = Float32Array.from(split.x);
  for (let i = 0; i < split.n; i++) x[i * 4] = i;
  return { ...split, x };
}

/**
 * The mean softmax cross-entropy and accuracy of the linear model's initial weights on the given
 * training rows, in plain arithmetic: logits = x·W + b, loss = log Σ exp(logits) − logit of the label.
 */
function handEvaluation(s: RunSpec, dataset: Dataset, rows: number[]): { loss: number; accuracy: number } {
  const model = buildModel(s.arch, s.archOptions, datasetIO(dataset));
  const params = model.initParams(s.seed, s.init);
  const kernel = model.params.find((p) => p.shape.length === 2)!;
  const bias = model.params.find((p) => p.shape.length === 1)!;
  const [inputs, classes] = kernel.shape;
  const w = params[kernel.name].dataSync();
  const b = params[bias.name].dataSync();
  Object.values(params).forEach((t) => t.dispose());
  let loss = 0;
  let correct = 0;
  for (const row of rows) {
    const logits = Array.from({ length: classes }, (_, c) => {
      let z = b[c];
      for (let i = 0; i < inputs; i++) z += dataset.train.x[row * inputs + i] * w[i * classes + c];
      return z;
    });
    const top = Math.max(...logits);
    const label = dataset.train.y[row];
    loss += top + Math.log(logits.reduce((sum, z) => sum + Math.exp(z - top), 0)) - logits[label];
    if (logits.indexOf(top) === label) correct++;
  }
  return { loss: loss / rows.length, accuracy: correct / rows.length };
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

  it('ends as diverged when a batch loss exceeds 1000 × the first step\'s (a blowing-up lr), saying which step and loss', async () => {
    const dataset = blobs(64, 4);
    const { done, steps, events } = await collect(spec({ optimizerOptions: { lr: 100 }, epochs: 3 }), dataset);
    expect(done.status).toBe('diverged');
    // The step that broke the bound is recorded (its loss is finite) and is the last one.
    const last = steps.at(-1)!;
    expect(done.steps).toBe(steps.length);
    expect(last.loss).toBeGreaterThan(1000 * steps[0].loss);
    expect(steps.slice(0, -1).every((s) => s.loss <= 1000 * steps[0].loss)).toBe(true);
    expect(done.reason).toBe(`the batch loss ${last.loss.toExponential(2)} at step ${last.step} exceeds 1000 × the first step's ${steps[0].loss.toPrecision(3)}`);
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(0);
    expect([done.trainEvalLoss, done.trainEvalAccuracy]).toEqual([null, null]);

    // Off, the same run trains on through losses of 1e19 (as every run did before the bound).
    const off = await collect(spec({ optimizerOptions: { lr: 100 }, epochs: 3, divergenceFactor: 'off' }), dataset);
    expect(off.done.status).toBe('completed');
    expect(Math.max(...off.steps.map((s) => s.loss))).toBeGreaterThan(1e15);
    // A factor of its own: lr 10 stays within 1000× of its first loss, not within 5×.
    expect((await collect(spec({ optimizerOptions: { lr: 10 }, epochs: 3 }), dataset)).done.status).toBe('completed');
    const tight = await collect(spec({ optimizerOptions: { lr: 10 }, epochs: 3, divergenceFactor: 5 }), dataset);
    expect(tight.done.status).toBe('diverged');
    expect(tight.done.reason).toMatch(/exceeds 5 × the first step's/);
  });

  it("evaluates the final model (eval mode) on every training example, as a hand computation on a linear model says", async () => {
    // lr 0 keeps the initial weights: the final model is the initial one, whose loss is computed here by hand.
    const dataset = blobs(50, 11);
    const s = spec({ arch: 'linear', archOptions: {}, optimizerOptions: { lr: 0 }, epochs: 2 });
    const { done } = await collect(s, dataset);
    const expected = handEvaluation(s, dataset, Array.from({ length: 50 }, (_, i) => i));
    expect(done.trainEvalLoss).toBeCloseTo(expected.loss, 5);
    expect(done.trainEvalAccuracy).toBeCloseTo(expected.accuracy, 6);
    // Not the running mean of the last epoch's batch losses.
    expect(done.trainLoss).not.toBe(done.trainEvalLoss);

    // With trainSize, on exactly the run's subset of the training split.
    const subsetSpec = { ...s, trainSize: 17 };
    const subset = await collect(subsetSpec, dataset);
    const rows = Array.from(seededSubset(withRowNumbers(dataset.train), 17, Rng.derive(s.seed, 'train-subset')).x.filter((_, i) => i % 4 === 0));
    const onSubset = handEvaluation(subsetSpec, dataset, rows);
    expect(subset.done.trainEvalLoss).toBeCloseTo(onSubset.loss, 5);
    expect(subset.done.trainEvalAccuracy).toBeCloseTo(onSubset.accuracy, 6);
  });

  it('trains and validates on seeded subsets, the same ones for every optimizer of a seed', async () => {
    const dataset = blobs(64, 12);
    const sgd = await collect(spec({ trainSize: 20, valSize: 10, batchSize: 8, epochs: 1 }), dataset);
    const start = sgd.events[0] as StartEvent;
    expect([start.dataset.trainSize, start.dataset.validationSize, start.stepsPerEpoch, start.totalSteps]).toEqual([20, 10, 3, 3]);
    expect(sgd.steps).toHaveLength(3);
    const adam = await collect(spec({ optimizer: 'adam', trainSize: 20, valSize: 10, batchSize: 8, epochs: 1 }), dataset);
    expect(adam.steps[0].loss).toBe(sgd.steps[0].loss);
    const whole = await collect(spec({ batchSize: 8, epochs: 1 }), dataset);
    expect(whole.steps[0].loss).not.toBe(sgd.steps[0].loss);
  });

  it("augments as the spec says, else as the dataset's default", async () => {
    // lr 0: each step's loss depends only on its (augmented or plain) batch.
    const rng = new Rng(13);
    const images = (count: number) => noiseImages(rng, count, [6, 6, 1], 2);
    const plain: Dataset = { name: 'noise', source: 'test', task: 'classification', inputShape: [6, 6, 1], numClasses: 2, targetSize: 1, train: images(16), validation: images(4), augment: false };
    const natural: Dataset = { ...plain, augment: true };
    const losses = async (d: Dataset, augment?: boolean) =>
      (await collect(spec({ arch: 'linear', archOptions: {}, optimizerOptions: { lr: 0 }, batchSize: 4, ...(augment !== undefined ? { augment } : {}) }), d)).steps.map((e) => e.loss);
    const notAugmented = await losses(plain);
    const augmented = await losses(natural);
    expect(augmented).not.toEqual(notAugmented);
    expect(await losses(natural, false)).toEqual(notAugmented);
    expect(await losses(plain, true)).toEqual(augmented);
  });

  it("starts from He-normal kernels with init 'he'", async () => {
    const dataset = blobs(40, 14);
    const s = spec({ init: 'he', shuffle: false, batchSize: 40, optimizerOptions: { lr: 0 }, steps: 1, epochs: undefined });
    const { steps } = await collect(s, dataset);
    const model = buildModel(s.arch, s.archOptions, datasetIO(dataset));
    const params = model.initParams(s.seed, 'he');
    const expected = tf.tidy(() =>
      softmaxCrossEntropy.value(model.forward(tf.tensor(dataset.train.x, [40, 4]), params, evalContext({})).y, tf.tensor1d(dataset.train.y, 'int32')).dataSync()[0],
    );
    Object.values(params).forEach((t) => t.dispose());
    expect(steps[0].loss).toBeCloseTo(expected, 5);
    expect(steps[0].loss).not.toBeCloseTo((await collect({ ...s, init: 'default' }, dataset)).steps[0].loss, 3);
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

  it('can be cancelled during the final evaluation on the training set: it yields between batches, and ends cancelled without it', async () => {
    // 3,000 training examples: three evaluation batches. The abort is queued behind the event loop when the
    // last epoch ends, so only an evaluation that yields between its batches lets it through.
    const controller = new AbortController();
    const events: TrainEvent[] = [];
    const done = await train(spec({ epochs: undefined, steps: 1 }), blobs(3000, 9), {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'epoch') setImmediate(() => controller.abort());
      },
      signal: controller.signal,
      backend: { name: 'cpu', reason: 'test' },
    });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(1);
    expect(done).toMatchObject({ status: 'cancelled', steps: 1, trainEvalLoss: null, trainEvalAccuracy: null });
    // Without the abort the same run evaluates its final model on the training set.
    const completed = await collect(spec({ epochs: undefined, steps: 1 }), blobs(3000, 9));
    expect(completed.done.status).toBe('completed');
    expect(completed.done.trainEvalLoss).not.toBeNull();
  });

  it('a signal aborted after the last step ends the run cancelled, with neither the last validation nor the final evaluation', async () => {
    const controller = new AbortController();
    const events: TrainEvent[] = [];
    const done = await train(spec({ epochs: 1 }), blobs(64, 5), {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'step' && e.step === 3) controller.abort();
      },
      signal: controller.signal,
      backend: { name: 'cpu', reason: 'test' },
    });
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(0);
    expect(done).toMatchObject({ status: 'cancelled', steps: 4, trainEvalLoss: null, valLoss: null });
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
    const images = (count: number) => noiseImages(rng, count, [12, 12, 3], 4);
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
