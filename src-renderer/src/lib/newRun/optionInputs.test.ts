import { describe, expect, test } from 'vitest';
import type { OptimizerDescriptor, OptionDescriptor } from '$api/labApi';
import { defaultOptionInputs, optionRange, optionsFromInputs } from './optionInputs';

const lr: OptionDescriptor = { name: 'lr', type: 'number', default: 0.01, description: 'learning rate', min: 0 };
const beta1: OptionDescriptor = { name: 'beta1', type: 'number', default: 0.9, description: 'decay', min: 0, max: 1, exclusiveMax: true };
const interval: OptionDescriptor = { name: 'lambdaInterval', type: 'integer', default: 5, description: 'every k steps', min: 1 };
const auto: OptionDescriptor = { name: 'autoLambda', type: 'boolean', default: true, description: 'adapt λ' };
const fixedLr: OptionDescriptor = { name: 'lr', type: 'number', default: null, description: 'fixed lr (default: automatic)', min: 0 };
const curveball: OptimizerDescriptor = { name: 'curveball', description: 'CurveBall', options: [interval, auto, fixedLr], traces: [] };
const adam: OptimizerDescriptor = { name: 'adam', description: 'Adam', options: [lr, beta1], traces: [] };

describe('optionRange', () => {
  test('says the bounds as an inequality', () => {
    expect(optionRange(lr)).toBe('lr ≥ 0');
    expect(optionRange(beta1)).toBe('0 ≤ beta1 < 1');
    expect(optionRange({ ...lr, min: undefined })).toBe('');
    expect(optionRange({ ...lr, min: undefined, max: 2 })).toBe('lr ≤ 2');
    expect(optionRange({ ...lr, exclusiveMin: true })).toBe('lr > 0');
  });
});

describe('reading option inputs', () => {
  test('numbers, exponents, integers and flags', () => {
    expect(optionsFromInputs(adam, { lr: ' 0.1 ', beta1: '0.9' }).options).toEqual({ lr: 0.1 });
    expect(optionsFromInputs(adam, { lr: '1e-3', beta1: '0.5' }).options).toEqual({ lr: 0.001, beta1: 0.5 });
    expect(optionsFromInputs(curveball, { lambdaInterval: '10', autoLambda: false, lr: '' }).options).toEqual({ lambdaInterval: 10, autoLambda: false });
  });

  test('empty means the default', () => {
    expect(optionsFromInputs(curveball, { lambdaInterval: '', autoLambda: true, lr: '' })).toEqual({ options: {}, errors: {} });
  });

  test('text that is not a number names the option', () => {
    expect(optionsFromInputs(adam, { lr: 'fast', beta1: '0x10' }).errors).toEqual({
      lr: 'lr: expected a number, got "fast"',
      beta1: 'beta1: expected a number, got "0x10"',
    });
    expect(optionsFromInputs(adam, { lr: 'Infinity', beta1: '0.9' }).errors).toEqual({ lr: 'lr: expected a number, got "Infinity"' });
  });

  test('values outside the range are sent as typed: the lab judges them', () => {
    expect(optionsFromInputs(adam, { lr: '-0.5', beta1: '1' })).toEqual({ options: { lr: -0.5, beta1: 1 }, errors: {} });
    expect(optionsFromInputs(curveball, { lambdaInterval: '2.5', autoLambda: true, lr: '' })).toEqual({ options: { lambdaInterval: 2.5 }, errors: {} });
  });
});

describe('the form', () => {
  test('starts from the defaults', () => {
    expect(defaultOptionInputs(curveball)).toEqual({ lambdaInterval: '5', autoLambda: true, lr: '' });
  });

  test('sends only what differs from the defaults', () => {
    expect(optionsFromInputs(curveball, { lambdaInterval: '5', autoLambda: false, lr: '0.05' })).toEqual({
      options: { autoLambda: false, lr: 0.05 },
      errors: {},
    });
    expect(optionsFromInputs(curveball, defaultOptionInputs(curveball))).toEqual({ options: {}, errors: {} });
  });

  test('collects the errors by option', () => {
    expect(optionsFromInputs(curveball, { lambdaInterval: 'five', autoLambda: true, lr: '' })).toEqual({
      options: {},
      errors: { lambdaInterval: 'lambdaInterval: expected a number, got "five"' },
    });
  });
});
