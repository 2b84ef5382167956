import { describe, expect, it } from 'vitest';
import type { RunSpecInput } from '../api/labApi';
import { UserInputError } from '../../engine/errors';
import { normalizeRunSpec } from './normalizeRunSpec';
import { RunSpecError } from './runSpecError';

const minimal: RunSpecInput = { dataset: 'mnist', arch: 'mlp', optimizer: 'sgd' };

/** The field and message a bad input is refused with. */
function refusal(input: RunSpecInput): { field: string; message: string } {
  try {
    normalizeRunSpec(input);
  } catch (error) {
    expect(error).toBeInstanceOf(RunSpecError);
    expect(error).toBeInstanceOf(UserInputError);
    const { field, message } = error as RunSpecError;
    return { field, message };
  }
  throw new Error('expected the input to be refused');
}

describe('normalizeRunSpec', () => {
  it('fills the defaults: one epoch, batches of 64, shuffled, default init, seed 0, no options', () => {
    expect(normalizeRunSpec(minimal)).toEqual({
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
    const spec = normalizeRunSpec(input);
    expect(spec).toEqual({ ...input });
    expect(spec).not.toHaveProperty('epochs');
    // A copy: editing the request afterwards does not change the spec.
    input.optimizerOptions!['lambda'] = 1;
    expect(spec.optimizerOptions['lambda']).toBe(10);
  });

  it('passes a model spec object on unchecked (the worker checks it against the dataset)', () => {
    const arch = { layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] } as unknown as RunSpecInput['arch'];
    expect(normalizeRunSpec({ ...minimal, arch }).arch).toEqual(arch);
  });

  it('refuses epochs and steps together, and bounds that are not positive integers', () => {
    expect(refusal({ ...minimal, epochs: 2, steps: 10 })).toEqual({ field: 'steps', message: 'give epochs or steps, not both' });
    expect(refusal({ ...minimal, steps: 0 }).field).toBe('steps');
    expect(refusal({ ...minimal, epochs: 1.5 }).field).toBe('epochs');
    expect(refusal({ ...minimal, batchSize: -3 }).field).toBe('batchSize');
    expect(refusal({ ...minimal, seed: -1 }).field).toBe('seed');
    expect(refusal({ ...minimal, init: 'ones' as 'zeros' }).field).toBe('init');
    expect(refusal({ ...minimal, dataset: ' ' }).field).toBe('dataset');
  });

  it("refuses an unknown optimizer, listing the valid ones", () => {
    const { field, message } = refusal({ ...minimal, optimizer: 'adamax' });
    expect(field).toBe('optimizer');
    expect(message).toMatch(/unknown optimizer "adamax"; valid optimizers: .*curveball.*sgd/);
  });

  it('names the option at fault: unknown name, wrong type, out of range', () => {
    expect(refusal({ ...minimal, optimizerOptions: { lr: 0.1, beta1: 0.9 } })).toEqual({
      field: 'optimizerOptions.beta1',
      message: 'sgd has no option "beta1"; valid options: lr, weightDecay',
    });
    expect(refusal({ ...minimal, optimizerOptions: { lr: true } })).toEqual({
      field: 'optimizerOptions.lr',
      message: 'sgd: option "lr" must be a finite number, got true',
    });
    expect(refusal({ ...minimal, optimizer: 'adam', optimizerOptions: { beta2: 1 } })).toEqual({
      field: 'optimizerOptions.beta2',
      message: 'adam: option "beta2" must be ≥ 0 and < 1, got 1',
    });
  });

  it('refuses options that are fine alone but not together (CurveBall lr without momentum)', () => {
    const { field, message } = refusal({ ...minimal, optimizer: 'curveball', optimizerOptions: { lr: 0.1 } });
    expect(field).toBe('optimizerOptions');
    expect(message).toMatch(/"lr" and "momentum" .* give both or neither/);
  });

  it('refuses an unknown preset or preset option', () => {
    expect(refusal({ ...minimal, arch: 'resnet-9000' })).toMatchObject({ field: 'arch', message: expect.stringMatching(/unknown architecture preset "resnet-9000"; the presets are .*mlp/) });
    expect(refusal({ ...minimal, archOptions: { depth: '3' } })).toEqual({
      field: 'archOptions.depth',
      message: 'preset mlp: unknown option "depth"; its options are widths, activation',
    });
  });
});
