import { describe, expect, expectTypeOf, it } from 'vitest';
import { OptimizerOptionError } from '../errors';
import { defineOptimizer, type OptionRule } from './defineOptimizer';
import { booleanOption, integerOption, numberOption, type OptionSettings } from './optionSchema';

const options = {
  lr: numberOption({ default: 0.1, description: 'learning rate', min: 0 }),
  momentum: numberOption({ description: 'fixed momentum', min: 0 }),
  steps: integerOption({ default: 2, description: 'inner steps', min: 1 }),
  nesterov: booleanOption({ default: false, description: 'look ahead' }),
};

/** A definition whose optimizer only records the settings it was created with. */
function demo(rules: OptionRule<typeof options>[] = []) {
  const created: OptionSettings<typeof options>[] = [];
  const definition = defineOptimizer({
    name: 'demo',
    description: 'a demonstration optimizer',
    traces: ['lr'],
    options,
    rules,
    create: (settings) => {
      created.push(settings);
      return { init: () => null, update: () => ({ updates: {}, state: null, trace: {} }) };
    },
  });
  return { definition, created };
}

describe('defineOptimizer', () => {
  it('types the settings from the schema: a default makes a value, no default leaves it optional', () => {
    expectTypeOf<OptionSettings<typeof options>>().toEqualTypeOf<{ lr: number; momentum: number | undefined; steps: number; nesterov: boolean }>();
  });

  it('creates the optimizer, named, from the given options and the defaults of the others', () => {
    const { definition, created } = demo();
    expect(definition.create({ nesterov: true }).name).toBe('demo');
    expect(definition.create().name).toBe('demo');
    expect(created).toEqual([
      { lr: 0.1, momentum: undefined, steps: 2, nesterov: true },
      { lr: 0.1, momentum: undefined, steps: 2, nesterov: false },
    ]);
  });

  it('describes itself as JSON', () => {
    expect(demo().definition.descriptor).toEqual({
      name: 'demo',
      description: 'a demonstration optimizer',
      traces: ['lr'],
      options: [
        { name: 'lr', type: 'number', default: 0.1, description: 'learning rate', min: 0 },
        { name: 'momentum', type: 'number', default: null, description: 'fixed momentum', min: 0 },
        { name: 'steps', type: 'integer', default: 2, description: 'inner steps', min: 1 },
        { name: 'nesterov', type: 'boolean', default: false, description: 'look ahead' },
      ],
    });
  });

  it('checks the rules on the complete settings, only when every option alone is valid, and creates nothing then', () => {
    const { definition, created } = demo([
      ({ lr, steps }) => (lr * steps > 1 ? `demo: lr·steps (${lr * steps}) must not exceed 1` : null),
      ({ momentum, nesterov }) => (nesterov && momentum === undefined ? 'demo: nesterov needs a momentum' : null),
    ]);
    expect(definition.check({ steps: 20 })).toEqual([{ option: null, message: 'demo: lr·steps (2) must not exceed 1' }]);
    expect(definition.check({ steps: 20, nesterov: true })).toHaveLength(2);
    expect(definition.check({ steps: 0, nesterov: true })).toEqual([{ option: 'steps', message: 'demo: option "steps" must be ≥ 1, got 0' }]);
    expect(definition.check({ steps: 10, momentum: 0.5, nesterov: true })).toEqual([]);
    expect(() => definition.create({ steps: 20, nesterov: true })).toThrow(new OptimizerOptionError('demo: lr·steps (2) must not exceed 1'));
    expect(created).toEqual([]);
  });
});
