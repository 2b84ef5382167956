import { describe, expect, test } from 'vitest';
import type { OptimizerDescriptor, OptionDescriptor } from '$api/labApi';
import { changedFromDefault, defaultOptionInputs, optionDefaultText, optionRange, optionsFromInputs } from './optionInputs';

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

describe('choice options', () => {
  const schedule: OptionDescriptor = { name: 'lrSchedule', type: 'choice', default: 'constant', description: 'schedule', choices: ['constant', 'step', 'cosine'] };
  const sgd: OptimizerDescriptor = { name: 'sgd', description: 'SGD', options: [lr, schedule], traces: [] };

  test('start from the default choice and send a choice only when it differs', () => {
    expect(defaultOptionInputs(sgd)).toEqual({ lr: '0.01', lrSchedule: 'constant' });
    expect(optionsFromInputs(sgd, defaultOptionInputs(sgd))).toEqual({ options: {}, errors: {} });
    expect(optionsFromInputs(sgd, { lr: '', lrSchedule: 'cosine' })).toEqual({ options: { lrSchedule: 'cosine' }, errors: {} });
  });

  test('are not read as numbers', () => {
    expect(optionsFromInputs(sgd, { lr: '0.1', lrSchedule: 'step' }).errors).toEqual({});
  });
});

describe('what changed from the default', () => {
  const schedule: OptionDescriptor = { name: 'lrSchedule', type: 'choice', default: 'constant', description: 'schedule', choices: ['constant', 'step'] };

  test('says the default beside a changed number, flag or choice, and nothing otherwise', () => {
    expect(changedFromDefault(beta1, '0.5')).toBe('default 0.9');
    expect(changedFromDefault(beta1, ' 0.9 ')).toBe('');
    expect(changedFromDefault(beta1, '')).toBe('');
    expect(changedFromDefault(auto, false)).toBe('default true');
    expect(changedFromDefault(auto, true)).toBe('');
    expect(changedFromDefault(schedule, 'step')).toBe('default constant');
    expect(changedFromDefault(schedule, 'constant')).toBe('');
    expect(changedFromDefault(fixedLr, '0.1')).toBe('default automatic');
  });

  test('shows an unset default as automatic', () => {
    expect(optionDefaultText(fixedLr)).toBe('automatic');
    expect(optionDefaultText(schedule)).toBe('constant');
  });
});
