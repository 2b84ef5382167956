import { OptimizerOptionError } from '../errors';
import type { OptionDescriptor, OptimizerDefinition, OptimizerOptions } from './optimizer';

type DefinitionShape = Pick<OptimizerDefinition, 'name' | 'options'>;

/**
 * An optimizer's options after validation, with the defaults filled in. Optimizers read their settings
 * through the typed getters, which name the option when something is missing.
 */
export class ResolvedOptions {
  constructor(
    private readonly optimizer: string,
    private readonly values: Record<string, number | boolean | undefined>,
  ) {}

  number(name: string): number {
    const value = this.optionalNumber(name);
    if (value === undefined) throw new OptimizerOptionError(`${this.optimizer}: option "${name}" needs a value`);
    return value;
  }

  optionalNumber(name: string): number | undefined {
    const value = this.values[name];
    return typeof value === 'number' ? value : undefined;
  }

  boolean(name: string): boolean {
    return this.values[name] === true;
  }
}

/**
 * Checks options against a definition (unknown names, types, ranges) and fills in the defaults.
 * Every optimizer's `create` goes through here, so a definition used directly validates as well.
 */
export function resolveOptions(definition: DefinitionShape, given: OptimizerOptions): ResolvedOptions {
  for (const key of Object.keys(given)) findDescriptor(definition, key);
  const values: Record<string, number | boolean | undefined> = {};
  for (const descriptor of definition.options) {
    const value = Object.hasOwn(given, descriptor.name) ? given[descriptor.name] : descriptor.default;
    if (value !== undefined) checkValue(definition.name, descriptor, value);
    values[descriptor.name] = value;
  }
  return new ResolvedOptions(definition.name, values);
}

/** Parses the text of a CLI `--set key=value`: "true"/"false" for booleans, a number otherwise. */
export function parseOptionValue(definition: DefinitionShape, key: string, text: string): number | boolean {
  const descriptor = findDescriptor(definition, key);
  const trimmed = text.trim();
  let value: number | boolean;
  if (descriptor.type === 'boolean') {
    if (trimmed !== 'true' && trimmed !== 'false') {
      throw new OptimizerOptionError(`${definition.name}: option "${key}" must be true or false, got "${text}"`);
    }
    value = trimmed === 'true';
  } else {
    value = trimmed === '' ? Number.NaN : Number(trimmed);
    if (!Number.isFinite(value)) {
      throw new OptimizerOptionError(`${definition.name}: option "${key}" must be ${typeWord(descriptor)}, got "${text}"`);
    }
  }
  checkValue(definition.name, descriptor, value);
  return value;
}

function findDescriptor(definition: DefinitionShape, key: string): OptionDescriptor {
  const descriptor = definition.options.find((d) => d.name === key);
  if (!descriptor) {
    const valid = definition.options.map((d) => d.name).join(', ') || '(none)';
    throw new OptimizerOptionError(`${definition.name} has no option "${key}"; valid options: ${valid}`);
  }
  return descriptor;
}

function checkValue(optimizer: string, d: OptionDescriptor, value: unknown): void {
  const wrongType = d.type === 'boolean' ? typeof value !== 'boolean' : typeof value !== 'number' || !Number.isFinite(value);
  if (wrongType || (d.type === 'integer' && !Number.isInteger(value))) {
    throw new OptimizerOptionError(`${optimizer}: option "${d.name}" must be ${typeWord(d)}, got ${JSON.stringify(value)}`);
  }
  if (typeof value !== 'number') return;
  const belowMin = d.min !== undefined && (d.exclusiveMin ? value <= d.min : value < d.min);
  const aboveMax = d.max !== undefined && (d.exclusiveMax ? value >= d.max : value > d.max);
  if (belowMin || aboveMax) {
    throw new OptimizerOptionError(`${optimizer}: option "${d.name}" must be ${rangeWords(d)}, got ${value}`);
  }
}

function typeWord(d: OptionDescriptor): string {
  return d.type === 'boolean' ? 'true or false' : d.type === 'integer' ? 'an integer' : 'a finite number';
}

function rangeWords(d: OptionDescriptor): string {
  const parts: string[] = [];
  if (d.min !== undefined) parts.push(`${d.exclusiveMin ? '>' : '≥'} ${d.min}`);
  if (d.max !== undefined) parts.push(`${d.exclusiveMax ? '<' : '≤'} ${d.max}`);
  return parts.join(' and ');
}
