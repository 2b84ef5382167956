import { describe, expect, it } from 'vitest';
import type { RunSpecInput } from '../api/labApi';
import { UserInputError } from '../../engine/errors';
import { normalizeRuns, requestStructure, type DatasetFacts } from './normalizeRuns';
import { checkedRunSpec, mnistShapes as mnist, oneRunRequest } from './runRequests.testkit';
import { RunSpecError } from './runSpecError';

const minimal: RunSpecInput = { dataset: 'mnist', arch: 'mlp', optimizer: 'sgd' };

/** The field and message a bad input is refused with. */
function refusal(input: RunSpecInput): { field: string; message: string } {
  try {
    checkedRunSpec(input);
  } catch (error) {
    expect(error).toBeInstanceOf(RunSpecError);
    expect(error).toBeInstanceOf(UserInputError);
    const { field, message } = error as RunSpecError;
    return { field, message };
  }
  throw new Error('expected the input to be refused');
}

describe('normalizeRuns: one run', () => {
  it('fills the defaults: one epoch, batches of 64, shuffled, default init, seed 0, no options', () => {
    expect(checkedRunSpec(minimal)).toEqual({
      dataset: 'mnist',
      arch: 'mlp',
      archOptions: {},
      optimizer: 'sgd',
      optimizerOptions: {},
      epochs: 1,
      batchSize: 64,
      shuffle: true,
      init: 'default',
      seed: 0,
    });
  });

  it('keeps what is given, steps instead of epochs, and the CSV target', () => {
    const input: RunSpecInput = {
      dataset: '/data/table.csv',
      target: 'price',
      arch: 'mlp',
      archOptions: { widths: '16,8' },
      optimizer: 'curveball',
      optimizerOptions: { lambda: 10, lr: 0.1, momentum: 0.9 },
      steps: 7,
      batchSize: 'full',
      shuffle: false,
      init: 'zeros',
      seed: 42,
    };
    // A CSV table of three feature columns and one regression target (its shapes, as registered).
    const spec = checkedRunSpec(input, { inputShape: [3], outputSize: 1 });
    expect(spec).toEqual({ ...input });
    expect(spec).not.toHaveProperty('epochs');
    // A copy: editing the request afterwards does not change the spec.
    input.optimizerOptions!['lambda'] = 1;
    expect(spec.optimizerOptions['lambda']).toBe(10);
  });

  it('passes a model spec object on as given, once it fits the dataset', () => {
    const arch = { layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] } as unknown as RunSpecInput['arch'];
    expect(checkedRunSpec({ ...minimal, arch }).arch).toEqual(arch);
  });

  it('refuses epochs and steps together, and bounds that are not positive integers', () => {
    expect(refusal({ ...minimal, epochs: 2, steps: 10 })).toEqual({ field: 'base.steps', message: 'give epochs or steps, not both' });
    expect(refusal({ ...minimal, steps: 0 }).field).toBe('base.steps');
    expect(refusal({ ...minimal, epochs: 1.5 }).field).toBe('base.epochs');
    expect(refusal({ ...minimal, batchSize: -3 }).field).toBe('base.batchSize');
    expect(refusal({ ...minimal, seed: -1 }).field).toBe('seeds.0');
    expect(refusal({ ...minimal, init: 'ones' as 'zeros' }).field).toBe('base.init');
    expect(refusal({ ...minimal, dataset: ' ' }).field).toBe('base.dataset');
  });

  it('keeps the subsets, augmentation, divergence factor and He init as given; absent, each means its default', () => {
    const fields = { trainSize: 1000, valSize: 200, augment: true, divergenceFactor: 1e4, init: 'he' } as const;
    expect(checkedRunSpec({ ...minimal, ...fields })).toMatchObject(fields);
    expect(checkedRunSpec({ ...minimal, augment: false, divergenceFactor: 'off' })).toMatchObject({ augment: false, divergenceFactor: 'off' });
    const spec = checkedRunSpec(minimal);
    for (const key of ['trainSize', 'valSize', 'augment', 'divergenceFactor']) expect(spec).not.toHaveProperty(key);
  });

  it('bounds the subsets and the divergence factor, with the messages the CLI shows after its flag', () => {
    expect(refusal({ ...minimal, trainSize: 0 })).toEqual({ field: 'base.trainSize', message: 'expected a positive integer, at most 100000000' });
    expect(refusal({ ...minimal, valSize: 2.5 })).toEqual({ field: 'base.valSize', message: 'expected a positive integer, at most 100000000' });
    const factor = 'expected a number above 1, at most 1,000,000,000,000, or "off"';
    for (const divergenceFactor of [1, 0.5, 1e13, 'on']) {
      expect(refusal({ ...minimal, divergenceFactor: divergenceFactor as number })).toEqual({ field: 'base.divergenceFactor', message: factor });
    }
    expect(refusal({ ...minimal, augment: 'yes' as unknown as boolean }).field).toBe('base.augment');
  });

  it('judges the values as the schema parses them: a dataset path with spaces around it is the trimmed path', () => {
    expect(checkedRunSpec({ ...minimal, dataset: '  mnist ' }).dataset).toBe('mnist');
  });

  it('refuses a seed listed twice (it would start the same run twice), at the repeat', () => {
    const { issues } = normalizeRuns(requestStructure({ base: { dataset: 'mnist', arch: 'mlp' }, optimizers: [{ name: 'sgd' }], seeds: [3, 1, 3] }), mnist);
    expect(issues).toEqual([{ field: 'seeds.2', message: 'seed 3 is listed twice' }]);
  });

  it("refuses an unknown optimizer, listing the valid ones", () => {
    const { field, message } = refusal({ ...minimal, optimizer: 'adamax' });
    expect(field).toBe('optimizers.0.name');
    expect(message).toMatch(/unknown optimizer "adamax"; valid optimizers: .*curveball.*sgd/);
  });

  it('names the option at fault: unknown name, wrong type, out of range', () => {
    expect(refusal({ ...minimal, optimizerOptions: { lr: 0.1, beta1: 0.9 } })).toEqual({
      field: 'optimizers.0.options.beta1',
      message: 'sgd has no option "beta1"; valid options: lr, weightDecay, lrSchedule, lrStepEpochs, lrStepFactor, lrMinFactor',
    });
    expect(refusal({ ...minimal, optimizerOptions: { lr: true } })).toEqual({
      field: 'optimizers.0.options.lr',
      message: 'sgd: option "lr" must be a finite number, got true',
    });
    expect(refusal({ ...minimal, optimizer: 'adam', optimizerOptions: { beta2: 1 } })).toEqual({
      field: 'optimizers.0.options.beta2',
      message: 'adam: option "beta2" must be ≥ 0 and < 1, got 1',
    });
  });

  it('refuses options that are fine alone but not together (CurveBall lr without momentum)', () => {
    const { field, message } = refusal({ ...minimal, optimizer: 'curveball', optimizerOptions: { lr: 0.1 } });
    expect(field).toBe('optimizers.0');
    expect(message).toMatch(/"lr" and "momentum" .* give both or neither/);
  });

  it('refuses an unknown preset or preset option', () => {
    expect(refusal({ ...minimal, arch: 'resnet-9000' })).toMatchObject({ field: 'base.arch', message: expect.stringMatching(/unknown architecture preset "resnet-9000"; the presets are .*mlp/) });
    expect(refusal({ ...minimal, archOptions: { depth: '3' } })).toEqual({
      field: 'base.archOptions.depth',
      message: 'preset mlp: unknown option "depth"; its options are widths, activation',
    });
  });
});

describe('normalizeRuns: the model against the dataset, and every issue at once', () => {
  const dense = (units: number) => ({ type: 'dense', units }) as const;
  const verdict = (input: RunSpecInput, dataset: DatasetFacts = mnist) => normalizeRuns(requestStructure(oneRunRequest(input)), dataset);

  it("refuses a JSON model spec whose inputShape is not the dataset's, naming arch.inputShape", () => {
    const arch = { inputShape: [32, 32, 3], layers: [{ type: 'flatten' }, dense(10)] } as RunSpecInput['arch'];
    expect(verdict({ ...minimal, arch }).issues).toEqual([
      { field: 'base.arch.inputShape', message: "the model's inputShape [32,32,3] does not match the dataset's examples [28,28,1]" },
    ]);
  });

  it("refuses a final layer that does not give one output per class, naming that layer", () => {
    const arch = { layers: [{ type: 'flatten' }, dense(32), { type: 'relu' }, dense(5)] } as RunSpecInput['arch'];
    expect(verdict({ ...minimal, arch }).issues).toEqual([
      { field: 'base.arch.layers.3', message: "the model's output shape [5] does not match the dataset: expected [10]" },
    ]);
  });

  it('names the field inside a model spec, and a layer that does not fit its input', () => {
    const badUnits = { layers: [{ type: 'flatten' }, dense(-3)] } as unknown as RunSpecInput['arch'];
    expect(verdict({ ...minimal, arch: badUnits }).issues.map((i) => i.field)).toEqual(['base.arch.layers.1.units']);
    // A dense layer straight on 28×28×1 images: it needs a flatten first.
    const unflattened = { layers: [dense(10)] } as RunSpecInput['arch'];
    expect(verdict({ ...minimal, arch: unflattened }).issues).toEqual([
      { field: 'base.arch.layers.0', message: expect.stringMatching(/^layer 1 \(dense "dense_0"\): input shape \[28, 28, 1\] is not flat/) },
    ]);
    expect(verdict({ ...minimal, archOptions: { widths: '16,x' } }).issues.map((i) => i.field)).toEqual(['base.archOptions.widths']);
    expect(verdict({ ...minimal, arch: 'small-cnn' }, { inputShape: [4], outputSize: 2 }).issues.map((i) => i.field)).toEqual(['base.arch']);
  });

  it('a dataset that cannot be used is an issue at base.dataset; unknown shapes leave the model to the trainer', () => {
    expect(verdict(minimal, { refusal: 'no such file: /data/x.csv' }).issues).toEqual([{ field: 'base.dataset', message: 'no such file: /data/x.csv' }]);
    const arch = { layers: [dense(5)] } as RunSpecInput['arch'];
    expect(verdict({ ...minimal, arch }, null).specs).toHaveLength(1);
  });

  it("refuses a subset larger than the dataset's split and augmentation of examples that are not images", () => {
    const facts = { ...mnist, trainSize: 8000, validationSize: 2000 };
    expect(verdict({ ...minimal, trainSize: 8001, valSize: 2000 }, facts).issues).toEqual([
      { field: 'base.trainSize', message: 'expected at most 8000 (the size of the training split)' },
    ]);
    expect(verdict({ ...minimal, trainSize: 8000, valSize: 2001 }, facts).issues.map((i) => i.field)).toEqual(['base.valSize']);
    expect(verdict({ ...minimal, trainSize: 8000, valSize: 2000, augment: true }, facts).issues).toEqual([]);
    const table = { inputShape: [3], outputSize: 2, trainSize: 90, validationSize: 10 };
    expect(verdict({ ...minimal, arch: 'linear', augment: true }, table).issues).toEqual([
      { field: 'base.augment', message: "augmentation flips and shifts images, but this dataset's examples have the shape [3]" },
    ]);
    // Unknown split sizes (an unregistered dataset the CLI has not loaded): the trainer checks them.
    expect(verdict({ ...minimal, trainSize: 1e6 }, mnist).issues).toEqual([]);
    expect(verdict({ ...minimal, trainSize: 1e6, augment: true }, null).issues).toEqual([]);
  });

  it('reports structure and content issues together, skipping only the parts whose structure is wrong', () => {
    const structure = requestStructure({
      base: { dataset: 'mnist', arch: 'mlp', archOptions: { widths: '0' }, batchSize: 0, epochs: 2, steps: 5 },
      optimizers: [{ name: 'adam', options: { lr: -1, beta2: 1 } }, { name: 'nope' }, { name: 'sgd', options: { lr: 'fast' } }],
      seeds: [1, 2 ** 32 - 1],
    });
    const { specs, issues, runCount } = normalizeRuns(structure, mnist);
    expect(specs).toEqual([]);
    expect(runCount).toBe(3 * 2); // the count needs only the grids and the number of seeds
    expect(issues.map((i) => i.field).sort()).toEqual([
      'base.archOptions.widths', // mlp widths "0"
      'base.batchSize',
      'base.steps', // epochs and steps together
      'optimizers.0.options.beta2',
      'optimizers.0.options.lr',
      'optimizers.1.name',
      'optimizers.2.options.lr', // not a number: structure, so optimizer 2 is not checked further
      'seeds.1',
    ]);
    expect(issues.find((i) => i.field === 'seeds.1')!.message).toBe('expected an integer from 0 to 2147483647');
    expect(issues.find((i) => i.field === 'base.batchSize')!.message).toBe('expected a positive integer, at most 1000000, or "full"');
  });

  it('counts the runs even when an option is refused: optimizers × grid × seeds', () => {
    const structure = requestStructure({
      base: { dataset: 'mnist', arch: 'mlp' },
      optimizers: [{ name: 'sgd', grid: { lr: [0.1, -1, 0.01] } }, { name: 'adam', grid: { lr: [0.1, 0.2], beta1: [0.8, 0.9] } }],
      seeds: [0, 1],
    });
    expect(normalizeRuns(structure, mnist)).toMatchObject({ specs: [], runCount: (3 + 2 * 2) * 2, issues: [{ field: 'optimizers.0.grid.lr' }] });
  });
});

describe('normalizeRuns: what training the model would take in memory', () => {
  it('refuses at base.arch a model far larger than a run may take here, before anything is allocated', () => {
    // 784 → 100,000 → 100,000 → 10: ten billion weights, 40 GB before a single copy of them for training.
    const arch = { layers: [{ type: 'flatten' }, ...[100_000, 100_000, 10].map((units) => ({ type: 'dense', units }))] } as RunSpecInput['arch'];
    expect(refusal({ ...minimal, arch })).toEqual({ field: 'base.arch', message: expect.stringMatching(/^training this model would take about .* \(10,079,600,010 parameters, .* a run may take on this machine/) });
    // MNIST's own MLP trains in far less.
    expect(() => checkedRunSpec({ ...minimal, batchSize: 'full' })).not.toThrow();
  });
});
