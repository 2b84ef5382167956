import { OptimizerOptionError } from '../errors';
import type { OptionDescriptor, OptionValue } from '../../shared/optimizerDescriptor';

/** One option as an optimizer declares it: its descriptor but the name (the schema's key), typed by its value. */
export interface OptionSpec<T extends OptionValue | undefined> extends Omit<OptionDescriptor, 'name' | 'default'> {
  /** undefined: not set unless given. */
  readonly default: T;
}

/** An optimizer's options by name, in the order they are listed. */
export type OptionSchema = Record<string, OptionSpec<OptionValue | undefined>>;

/** The settings an optimizer is created with: every option of the schema, given or defaulted. */
export type OptionSettings<S extends OptionSchema> = { [K in keyof S]: S[K]['default'] };

/** One thing wrong with a set of options: the option it is about (null: a rule across options) and why. */
export interface OptionIssue {
  option: string | null;
  message: string;
}

type Bounds = Pick<OptionDescriptor, 'min' | 'max' | 'exclusiveMin' | 'exclusiveMax'>;
type NumericFields = Bounds & { description: string };

export function numberOption(fields: NumericFields & { default: number }): OptionSpec<number>;
export function numberOption(fields: NumericFields): OptionSpec<number | undefined>;
export function numberOption(fields: NumericFields & { default?: number }): OptionSpec<number | undefined> {
  return { type: 'number', default: undefined, ...fields };
}

export function integerOption(fields: NumericFields & { default: number }): OptionSpec<number>;
export function integerOption(fields: NumericFields): OptionSpec<number | undefined>;
export function integerOption(fields: NumericFields & { default?: number }): OptionSpec<number | undefined> {
  return { type: 'integer', default: undefined, ...fields };
}

export function booleanOption(fields: { default: boolean; description: string }): OptionSpec<boolean> {
  return { type: 'boolean', ...fields };
}

/** One of a few named values (e.g. a learning-rate schedule's kind); settings see the names' union. */
export function choiceOption<const C extends string>(fields: { default: NoInfer<C>; choices: readonly C[]; description: string }): OptionSpec<C> {
  return { type: 'choice', ...fields, choices: [...fields.choices] };
}

/** The schema as JSON-ready descriptors (an unset default is null). */
export function optionDescriptors(schema: OptionSchema): OptionDescriptor[] {
  return Object.entries(schema).map(([name, { type, default: value, description, ...bounds }]) => ({
    name,
    type,
    default: value ?? null,
    description,
    ...bounds,
  }));
}

/** Each given option on its own: an issue for every unknown name and every value of the wrong type or out of range. */
export function optionIssues(optimizer: string, descriptors: readonly OptionDescriptor[], given: Record<string, unknown>): OptionIssue[] {
  return Object.entries(given).flatMap(([option, value]) => {
    const descriptor = descriptors.find((d) => d.name === option);
    const message = descriptor ? valueIssue(optimizer, descriptor, value) : unknownOptionMessage(optimizer, descriptors, option);
    return message === null ? [] : [{ option, message }];
  });
}

/** The value in the text of a CLI `--set key=value`: "true"/"false" for booleans, a name for choices, a number otherwise. */
export function optionValueFromText(optimizer: string, descriptors: readonly OptionDescriptor[], key: string, text: string): OptionValue {
  const descriptor = descriptors.find((d) => d.name === key);
  if (!descriptor) throw new OptimizerOptionError(unknownOptionMessage(optimizer, descriptors, key));
  const trimmed = text.trim();
  let value: OptionValue;
  if (descriptor.type === 'boolean') {
    if (trimmed !== 'true' && trimmed !== 'false') {
      throw new OptimizerOptionError(`${optimizer}: option "${key}" must be true or false, got "${text}"`);
    }
    value = trimmed === 'true';
  } else if (descriptor.type === 'choice') {
    value = trimmed;
  } else {
    value = trimmed === '' ? Number.NaN : Number(trimmed);
    if (!Number.isFinite(value)) {
      throw new OptimizerOptionError(`${optimizer}: option "${key}" must be ${typeWord(descriptor)}, got "${text}"`);
    }
  }
  const issue = valueIssue(optimizer, descriptor, value);
  if (issue !== null) throw new OptimizerOptionError(issue);
  return value;
}

function unknownOptionMessage(optimizer: string, descriptors: readonly OptionDescriptor[], key: string): string {
  const valid = descriptors.map((d) => d.name).join(', ') || '(none)';
  return `${optimizer} has no option "${key}"; valid options: ${valid}`;
}

function valueIssue(optimizer: string, d: OptionDescriptor, value: unknown): string | null {
  const wrongType =
    d.type === 'boolean'
      ? typeof value !== 'boolean'
      : d.type === 'choice'
        ? typeof value !== 'string' || !(d.choices ?? []).includes(value)
        : typeof value !== 'number' || !Number.isFinite(value);
  if (wrongType || (d.type === 'integer' && !Number.isInteger(value))) {
    return `${optimizer}: option "${d.name}" must be ${typeWord(d)}, got ${JSON.stringify(value)}`;
  }
  if (typeof value !== 'number') return null;
  const belowMin = d.min !== undefined && (d.exclusiveMin ? value <= d.min : value < d.min);
  const aboveMax = d.max !== undefined && (d.exclusiveMax ? value >= d.max : value > d.max);
  return belowMin || aboveMax ? `${optimizer}: option "${d.name}" must be ${rangeWords(d)}, got ${value}` : null;
}

function typeWord(d: OptionDescriptor): string {
  if (d.type === 'choice') return `one of ${(d.choices ?? []).join(', ')}`;
  return d.type === 'boolean' ? 'true or false' : d.type === 'integer' ? 'an integer' : 'a finite number';
}

function rangeWords(d: OptionDescriptor): string {
  const parts: string[] = [];
  if (d.min !== undefined) parts.push(`${d.exclusiveMin ? '>' : '≥'} ${d.min}`);
  if (d.max !== undefined) parts.push(`${d.exclusiveMax ? '<' : '≤'} ${d.max}`);
  return parts.join(' and ');
}
