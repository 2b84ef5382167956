import { describe, expect, it } from 'vitest';
import { OptimizerOptionError } from '../errors';
import { booleanOption, choiceOption, integerOption, numberOption, optionDescriptors, optionIssues, optionValueFromText } from './optionSchema';

const schema = {
  rate: numberOption({ default: 0.5, description: 'a rate', min: 0, max: 1, exclusiveMin: true }),
  cap: numberOption({ description: 'a cap, unset by default', max: 10, exclusiveMax: true }),
  count: integerOption({ default: 3, description: 'a count', min: 1 }),
  flag: booleanOption({ default: false, description: 'a flag' }),
};
const descriptors = optionDescriptors(schema);

describe('optionDescriptors', () => {
  it('lists the options in declaration order, named by their keys, null for an unset default', () => {
    expect(descriptors).toEqual([
      { name: 'rate', type: 'number', default: 0.5, description: 'a rate', min: 0, max: 1, exclusiveMin: true },
      { name: 'cap', type: 'number', default: null, description: 'a cap, unset by default', max: 10, exclusiveMax: true },
      { name: 'count', type: 'integer', default: 3, description: 'a count', min: 1 },
      { name: 'flag', type: 'boolean', default: false, description: 'a flag' },
    ]);
  });
});

describe('optionIssues', () => {
  it('words exclusive and inclusive bounds and types as the user must read them', () => {
    expect(optionIssues('demo', descriptors, { rate: 0, cap: 10, count: 0, flag: 'yes' }).map((i) => i.message)).toEqual([
      'demo: option "rate" must be > 0 and ≤ 1, got 0',
      'demo: option "cap" must be < 10, got 10',
      'demo: option "count" must be ≥ 1, got 0',
      'demo: option "flag" must be true or false, got "yes"',
    ]);
    expect(optionIssues('demo', descriptors, { rate: 1, cap: -5, count: 2, flag: true })).toEqual([]);
    expect(optionIssues('demo', descriptors, { count: 1.5 })).toEqual([{ option: 'count', message: 'demo: option "count" must be an integer, got 1.5' }]);
  });

  it('names the valid options, or says there are none', () => {
    expect(optionIssues('demo', descriptors, { size: 1 })[0].message).toBe('demo has no option "size"; valid options: rate, cap, count, flag');
    expect(optionIssues('bare', [], { size: 1 })[0].message).toBe('bare has no option "size"; valid options: (none)');
  });
});

describe('optionValueFromText', () => {
  it('reads numbers, integers and booleans, and checks the value like a given option', () => {
    expect(optionValueFromText('demo', descriptors, 'rate', ' 0.25 ')).toBe(0.25);
    expect(optionValueFromText('demo', descriptors, 'flag', 'true')).toBe(true);
    expect(() => optionValueFromText('demo', descriptors, 'rate', '2')).toThrow(OptimizerOptionError);
    expect(() => optionValueFromText('demo', descriptors, 'count', '2.5')).toThrow('demo: option "count" must be an integer, got 2.5');
  });
});

describe('choice options', () => {
  const choices = optionDescriptors({ shape: choiceOption({ default: 'flat', choices: ['flat', 'round', 'pointed'], description: 'a shape' }) });

  it('describe their choices, the default one of them', () => {
    expect(choices).toEqual([{ name: 'shape', type: 'choice', default: 'flat', description: 'a shape', choices: ['flat', 'round', 'pointed'] }]);
  });

  it('take one of their choices and nothing else, naming them', () => {
    expect(optionIssues('demo', choices, { shape: 'round' })).toEqual([]);
    expect(optionIssues('demo', choices, { shape: 'square' })).toEqual([
      { option: 'shape', message: 'demo: option "shape" must be one of flat, round, pointed, got "square"' },
    ]);
    expect(optionIssues('demo', choices, { shape: 1 })[0].message).toBe('demo: option "shape" must be one of flat, round, pointed, got 1');
    expect(optionIssues('demo', choices, { shape: 'Round' })).toHaveLength(1);
    expect(optionIssues('demo', descriptors, { rate: 'flat' })[0].message).toBe('demo: option "rate" must be a finite number, got "flat"');
  });

  it('read their value from text as the name itself', () => {
    expect(optionValueFromText('demo', choices, 'shape', ' pointed ')).toBe('pointed');
    expect(() => optionValueFromText('demo', choices, 'shape', 'linear')).toThrow('demo: option "shape" must be one of flat, round, pointed, got "linear"');
    expect(() => optionValueFromText('demo', choices, 'shape', '')).toThrow('must be one of flat, round, pointed, got ""');
  });
});
