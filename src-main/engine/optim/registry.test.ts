import { describe, expect, it } from 'vitest';
import { OptimizerOptionError } from '../errors';
import { createOptimizer, getOptimizerDefinition, optimizerNames, parseOptionValue } from './registry';

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OptimizerOptionError);
    return e as Error;
  }
  throw new Error('expected an OptimizerOptionError');
}

describe('optimizer registry', () => {
  it('offers every optimizer, each creatable with its defaults and fully described', () => {
    expect([...optimizerNames].sort()).toEqual(
      ['adagrad', 'adam', 'adamw', 'curveball', 'hessian-free', 'momentum', 'rmsprop', 'sgd'].sort(),
    );
    for (const name of optimizerNames) {
      const def = getOptimizerDefinition(name);
      expect(def.description.length).toBeGreaterThan(10);
      for (const option of def.options) expect(option.description.length, `${name}.${option.name}`).toBeGreaterThan(5);
      expect(createOptimizer(name, {}).name).toBe(name);
    }
  });

  it('names the valid optimizers for an unknown name', () => {
    const message = errorOf(() => getOptimizerDefinition('adamax')).message;
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
    const momentum = getOptimizerDefinition('momentum');
    expect(parseOptionValue(momentum, 'nesterov', 'true')).toBe(true);
    expect(parseOptionValue(momentum, 'nesterov', 'false')).toBe(false);
    expect(parseOptionValue(momentum, 'lr', '0.05')).toBe(0.05);
    expect(parseOptionValue(momentum, 'lr', '1e-3')).toBe(0.001);
    expect(parseOptionValue(getOptimizerDefinition('hessian-free'), 'maxIterations', '25')).toBe(25);
    expect(errorOf(() => parseOptionValue(momentum, 'nesterov', 'yes')).message).toMatch(/"nesterov".*true or false.*"yes"/);
    expect(errorOf(() => parseOptionValue(momentum, 'lr', 'fast')).message).toMatch(/"lr".*"fast"/);
    expect(errorOf(() => parseOptionValue(momentum, 'lr', '')).message).toContain('"lr"');
    expect(errorOf(() => parseOptionValue(momentum, 'lr', '-1')).message).toContain('≥ 0');
    expect(errorOf(() => parseOptionValue(getOptimizerDefinition('hessian-free'), 'maxIterations', '2.5')).message).toContain('integer');
    expect(errorOf(() => parseOptionValue(momentum, 'beta', '0.9')).message).toMatch(/no option "beta".*lr, momentum, nesterov/);
  });
});
