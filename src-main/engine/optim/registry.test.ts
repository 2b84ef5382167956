import { describe, expect, it } from 'vitest';
import { OptimizerOptionError } from '../errors';
import { checkOptimizerOptions, createOptimizer, getOptimizerDescriptor, optimizerDescriptors, parseOptionText } from './registry';

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OptimizerOptionError);
    return e as Error;
  }
  throw new Error('expected an OptimizerOptionError');
}

const optimizerNames = optimizerDescriptors().map((d) => d.name);

describe('optimizer registry', () => {
  it('offers every optimizer, each creatable with its defaults and fully described', () => {
    expect([...optimizerNames].sort()).toEqual(
      ['adagrad', 'adam', 'adamw', 'curveball', 'hessian-free', 'momentum', 'rmsprop', 'sgd'].sort(),
    );
    for (const name of optimizerNames) {
      const def = getOptimizerDescriptor(name);
      expect(def.description.length).toBeGreaterThan(10);
      for (const option of def.options) expect(option.description.length, `${name}.${option.name}`).toBeGreaterThan(5);
      expect(createOptimizer(name, {}).name).toBe(name);
    }
  });

  it('names the valid optimizers for an unknown name', () => {
    const message = errorOf(() => getOptimizerDescriptor('adamax')).message;
    expect(message).toContain('"adamax"');
    for (const name of optimizerNames) expect(message).toContain(name);
    errorOf(() => createOptimizer('nope', {}));
  });

  it('names the valid options for an unknown option', () => {
    const message = errorOf(() => createOptimizer('adam', { learningRate: 0.1 })).message;
    expect(message).toContain('"learningRate"');
    for (const option of ['lr', 'beta1', 'beta2', 'epsilon', 'weightDecay']) expect(message).toContain(option);
  });

  it('rejects wrong types and out-of-range values, naming the option', () => {
    expect(errorOf(() => createOptimizer('sgd', { lr: true })).message).toMatch(/"lr".*number/);
    expect(errorOf(() => createOptimizer('momentum', { nesterov: 1 })).message).toMatch(/"nesterov".*true or false/);
    expect(errorOf(() => createOptimizer('sgd', { lr: Number.NaN })).message).toContain('"lr"');
    expect(errorOf(() => createOptimizer('sgd', { lr: -0.1 })).message).toMatch(/"lr".*≥ 0/);
    expect(errorOf(() => createOptimizer('adam', { beta1: 1 })).message).toMatch(/"beta1".*< 1/);
    expect(errorOf(() => createOptimizer('curveball', { interleave: 2.5 })).message).toMatch(/"interleave".*integer/);
    expect(errorOf(() => createOptimizer('hessian-free', { maxIterations: 0 })).message).toMatch(/"maxIterations".*≥ 1/);
  });

  it('checks options that only make sense together (curveball)', () => {
    expect(errorOf(() => createOptimizer('curveball', { lr: 0.1 })).message).toMatch(/lr.*momentum/);
    expect(errorOf(() => createOptimizer('curveball', { interleave: 2, lambdaInterval: 5 })).message).toMatch(/multiple/);
    expect(createOptimizer('curveball', { interleave: 2, lambdaInterval: 4 }).name).toBe('curveball');
    expect(createOptimizer('curveball', { interleave: 2, autoLambda: false }).name).toBe('curveball');
    expect(errorOf(() => createOptimizer('curveball', { lambdaLow: 2, lambdaHigh: 1 })).message).toMatch(/lambdaLow/);
  });

  it('parses --set values by the option type', () => {
    expect(parseOptionText('momentum', 'nesterov', 'true')).toBe(true);
    expect(parseOptionText('momentum', 'nesterov', 'false')).toBe(false);
    expect(parseOptionText('momentum', 'lr', '0.05')).toBe(0.05);
    expect(parseOptionText('momentum', 'lr', '1e-3')).toBe(0.001);
    expect(parseOptionText('hessian-free', 'maxIterations', '25')).toBe(25);
    expect(errorOf(() => parseOptionText('momentum', 'nesterov', 'yes')).message).toMatch(/"nesterov".*true or false.*"yes"/);
    expect(errorOf(() => parseOptionText('momentum', 'lr', 'fast')).message).toMatch(/"lr".*"fast"/);
    expect(errorOf(() => parseOptionText('momentum', 'lr', '')).message).toContain('"lr"');
    expect(errorOf(() => parseOptionText('momentum', 'lr', '-1')).message).toContain('≥ 0');
    expect(errorOf(() => parseOptionText('hessian-free', 'maxIterations', '2.5')).message).toContain('integer');
    expect(errorOf(() => parseOptionText('momentum', 'beta', '0.9')).message).toMatch(/no option "beta".*lr, momentum, nesterov/);
  });
});

describe('optimizer descriptors', () => {
  it('list the optimizers in the order the CLI and UI show them', () => {
    expect(optimizerNames).toEqual(['curveball', 'sgd', 'momentum', 'adam', 'adamw', 'rmsprop', 'adagrad', 'hessian-free']);
  });

  it('are plain JSON: an unset default is null, bounds only where there are some', () => {
    const curveball = getOptimizerDescriptor('curveball');
    expect(JSON.parse(JSON.stringify(curveball))).toEqual(curveball);
    expect(curveball.options.find((o) => o.name === 'lr')).toEqual({
      name: 'lr',
      type: 'number',
      default: null,
      description: 'fixed learning rate β (with momentum; default: automatic)',
      min: 0,
    });
    expect(getOptimizerDescriptor('adam').options.find((o) => o.name === 'beta1')).toEqual({
      name: 'beta1',
      type: 'number',
      default: 0.9,
      description: 'decay rate of the first-moment average',
      min: 0,
      max: 1,
      exclusiveMax: true,
    });
    expect(getOptimizerDescriptor('sgd').traces).toEqual(['lr']);
  });

  it('give CurveBall the shared damping defaults λ = 1, factor 0.999, bounds 0.5 and 1.5, interval 5', () => {
    const defaults = Object.fromEntries(getOptimizerDescriptor('curveball').options.map((o) => [o.name, o.default]));
    expect(defaults).toMatchObject({ lambda: 1, lambdaFactor: 0.999, lambdaLow: 0.5, lambdaHigh: 1.5, lambdaInterval: 5 });
  });
});

describe('checkOptimizerOptions', () => {
  it('finds nothing wrong with valid options', () => {
    expect(checkOptimizerOptions('sgd', {})).toEqual([]);
    expect(checkOptimizerOptions('curveball', { lr: 0.1, momentum: 0.9, interleave: 2, lambdaInterval: 4 })).toEqual([]);
  });

  it('reports every bad option, each with its name and message', () => {
    expect(checkOptimizerOptions('sgd', { x: 1, lr: -1, weightDecay: 'a' })).toEqual([
      { option: 'x', message: 'sgd has no option "x"; valid options: lr, weightDecay, lrSchedule, lrStepEpochs, lrStepFactor, lrMinFactor' },
      { option: 'lr', message: 'sgd: option "lr" must be ≥ 0, got -1' },
      { option: 'weightDecay', message: 'sgd: option "weightDecay" must be a finite number, got "a"' },
    ]);
    expect(checkOptimizerOptions('adam', { beta1: 1 })).toEqual([{ option: 'beta1', message: 'adam: option "beta1" must be ≥ 0 and < 1, got 1' }]);
  });

  it('reports the rules across options only once every option alone is fine, and then every broken rule', () => {
    expect(checkOptimizerOptions('curveball', { lr: 0.1, interleave: 0 })).toEqual([
      { option: 'interleave', message: 'curveball: option "interleave" must be ≥ 1, got 0' },
    ]);
    expect(checkOptimizerOptions('curveball', { lr: 0.1, lambdaLow: 2, lambdaHigh: 1, interleave: 2, lambdaInterval: 5 })).toEqual([
      { option: null, message: 'curveball: options "lr" and "momentum" fix β and ρ together; give both or neither' },
      { option: null, message: 'curveball: lambdaLow (2) must not exceed lambdaHigh (1)' },
      { option: null, message: 'curveball: lambdaInterval (5) must be a multiple of interleave (2)' },
    ]);
  });

  it('throws for an unknown optimizer, as getOptimizerDescriptor does', () => {
    expect(errorOf(() => checkOptimizerOptions('adamax', {})).message).toBe(
      'unknown optimizer "adamax"; valid optimizers: curveball, sgd, momentum, adam, adamw, rmsprop, adagrad, hessian-free',
    );
  });
});

describe('learning-rate schedules and CurveBall weight decay in the descriptors', () => {
  const firstOrder = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop', 'adagrad'];

  it('give every first-order optimizer the schedule options, defaulting to a constant learning rate', () => {
    for (const name of firstOrder) {
      const defaults = Object.fromEntries(getOptimizerDescriptor(name).options.map((o) => [o.name, o.default]));
      expect(defaults, name).toMatchObject({ lrSchedule: 'constant', lrStepEpochs: 30, lrStepFactor: 0.1, lrMinFactor: 0 });
      expect(getOptimizerDescriptor(name).options.find((o) => o.name === 'lrSchedule')?.choices).toEqual(['constant', 'step', 'cosine']);
    }
    expect(getOptimizerDescriptor('curveball').options.map((o) => o.name)).not.toContain('lrSchedule');
  });

  it('check and parse a schedule kind by name', () => {
    expect(checkOptimizerOptions('sgd', { lrSchedule: 'linear' })).toEqual([
      { option: 'lrSchedule', message: 'sgd: option "lrSchedule" must be one of constant, step, cosine, got "linear"' },
    ]);
    expect(errorOf(() => createOptimizer('adam', { lrSchedule: 1 })).message).toBe('adam: option "lrSchedule" must be one of constant, step, cosine, got 1');
    expect(checkOptimizerOptions('rmsprop', { lrSchedule: 'step', lrStepEpochs: 0 })[0].message).toMatch(/"lrStepEpochs".*≥ 1/);
    expect(parseOptionText('momentum', 'lrSchedule', 'cosine')).toBe('cosine');
    expect(errorOf(() => parseOptionText('adagrad', 'lrSchedule', 'linear')).message).toBe(
      'adagrad: option "lrSchedule" must be one of constant, step, cosine, got "linear"',
    );
  });

  it('give CurveBall a weight decay off by default and a count of λ changes in its traces', () => {
    const curveball = getOptimizerDescriptor('curveball');
    expect(curveball.options.find((o) => o.name === 'weightDecay')).toMatchObject({ type: 'number', default: 0, min: 0 });
    expect(curveball.traces).toContain('lambdaChanges');
    expect(errorOf(() => createOptimizer('curveball', { weightDecay: -1 })).message).toMatch(/"weightDecay".*≥ 0/);
  });
});
