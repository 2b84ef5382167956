import { describe, expect, test } from 'vitest';
import type { OptimizerInfo, OptimizerOption } from '$api/labApi';
import { defaultOptionInputs, optionRange, optionsFromInputs, parseOptionInput } from './optionValues';

const lr: OptimizerOption = { name: 'lr', type: 'number', default: 0.01, description: 'learning rate', min: 0 };
const beta1: OptimizerOption = { name: 'beta1', type: 'number', default: 0.9, description: 'decay', min: 0, max: 1, exclusiveMax: true };
const interval: OptimizerOption = { name: 'lambdaInterval', type: 'integer', default: 5, description: 'every k steps', min: 1 };
const auto: OptimizerOption = { name: 'autoLambda', type: 'boolean', default: true, description: 'adapt λ' };
const fixedLr: OptimizerOption = { name: 'lr', type: 'number', default: null, description: 'fixed lr (default: automatic)', min: 0 };
const curveball: OptimizerInfo = { name: 'curveball', description: 'CurveBall', options: [interval, auto, fixedLr], traces: [] };

describe('optionRange', () => {
  test('says the bounds as an inequality', () => {
    expect(optionRange(lr)).toBe('lr ≥ 0');
    expect(optionRange(beta1)).toBe('0 ≤ beta1 < 1');
    expect(optionRange({ ...lr, min: undefined })).toBe('');
    expect(optionRange({ ...lr, min: undefined, max: 2 })).toBe('lr ≤ 2');
    expect(optionRange({ ...lr, exclusiveMin: true })).toBe('lr > 0');
  });
});

describe('parseOptionInput', () => {
  test('numbers, exponents and integers', () => {
    expect(parseOptionInput(lr, ' 0.1 ')).toEqual({ ok: true, value: 0.1 });
    expect(parseOptionInput(lr, '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(parseOptionInput(interval, '10')).toEqual({ ok: true, value: 10 });
    expect(parseOptionInput(auto, false)).toEqual({ ok: true, value: false });
  });

  test('empty means the default', () => {
    expect(parseOptionInput(fixedLr, '')).toEqual({ ok: true, value: undefined });
  });

  test('bad values name the option and what it takes', () => {
    expect(parseOptionInput(lr, 'fast')).toEqual({ ok: false, error: 'lr: expected a number with lr ≥ 0, got "fast"' });
    expect(parseOptionInput(lr, '-0.5')).toEqual({ ok: false, error: 'lr: expected a number with lr ≥ 0, got -0.5' });
    expect(parseOptionInput(beta1, '1')).toEqual({ ok: false, error: 'beta1: expected a number with 0 ≤ beta1 < 1, got 1' });
    expect(parseOptionInput(interval, '2.5')).toEqual({ ok: false, error: 'lambdaInterval: expected a whole number with lambdaInterval ≥ 1, got "2.5"' });
    expect(parseOptionInput(lr, '0x10')).toEqual({ ok: false, error: 'lr: expected a number with lr ≥ 0, got "0x10"' });
    expect(parseOptionInput(lr, 'Infinity')).toEqual({ ok: false, error: 'lr: expected a number with lr ≥ 0, got "Infinity"' });
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
    expect(optionsFromInputs(curveball, { lambdaInterval: '0', autoLambda: true, lr: '' })).toEqual({
      options: {},
      errors: { lambdaInterval: 'lambdaInterval: expected a whole number with lambdaInterval ≥ 1, got 0' },
    });
  });
});
