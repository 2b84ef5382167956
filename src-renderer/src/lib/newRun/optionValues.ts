import type { OptimizerInfo, OptimizerOption, OptionValue } from '$api/labApi';
import { parseError, parsedValue, type Parsed } from '../shell/parsed';

/** What the form holds for one option: text for numbers (empty = the default), a flag for booleans. */
export type OptionInput = string | boolean;

/** The form's starting values: each option's default (numbers as text, empty when there is none). */
export function defaultOptionInputs(optimizer: OptimizerInfo): Record<string, OptionInput> {
  return Object.fromEntries(
    optimizer.options.map((o) => [o.name, o.type === 'boolean' ? o.default === true : o.default === null ? '' : String(o.default)]),
  );
}

/** `0 ≤ beta1 < 1`, `lr ≥ 0`: the allowed range in the words of the engine's option description. */
export function optionRange(option: OptimizerOption): string {
  const low = option.min === undefined ? '' : `${option.min} ${option.exclusiveMin ? '<' : '≤'} `;
  const high = option.max === undefined ? '' : ` ${option.exclusiveMax ? '<' : '≤'} ${option.max}`;
  if (low === '' && high === '') return '';
  if (low === '') return `${option.name}${high}`;
  if (high === '') return `${option.name} ${option.exclusiveMin ? '>' : '≥'} ${option.min}`;
  return `${low}${option.name}${high}`;
}

/** One option's value, or undefined when it is left to the default; errors name the option. */
export function parseOptionInput(option: OptimizerOption, input: OptionInput): Parsed<OptionValue | undefined> {
  if (option.type === 'boolean') return parsedValue(input === true);
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') return parsedValue(undefined);
  const kind = option.type === 'integer' ? 'a whole number' : 'a number';
  const value = Number(text);
  // Plain decimal notation only: Number() would also take "0x10", "Infinity" and "1_0".
  const wellFormed = option.type === 'integer' ? /^[+-]?\d+$/.test(text) : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) && Number.isFinite(value);
  const range = optionRange(option);
  const expected = range === '' ? kind : `${kind} with ${range}`;
  if (!wellFormed) return parseError(`${option.name}: expected ${expected}, got "${text}"`);
  const tooLow = option.min !== undefined && (option.exclusiveMin ? value <= option.min : value < option.min);
  const tooHigh = option.max !== undefined && (option.exclusiveMax ? value >= option.max : value > option.max);
  if (tooLow || tooHigh) return parseError(`${option.name}: expected ${expected}, got ${text}`);
  return parsedValue(value);
}

/**
 * The options to send for one optimizer: only those that differ from the engine's default, so a run's
 * stored spec says what was chosen on purpose. Errors are keyed by option name.
 */
export function optionsFromInputs(
  optimizer: OptimizerInfo,
  inputs: Record<string, OptionInput>,
): { options: Record<string, OptionValue>; errors: Record<string, string> } {
  const options: Record<string, OptionValue> = {};
  const errors: Record<string, string> = {};
  for (const option of optimizer.options) {
    const parsed = parseOptionInput(option, inputs[option.name] ?? '');
    if (!parsed.ok) errors[option.name] = parsed.error;
    else if (parsed.value !== undefined && parsed.value !== option.default) options[option.name] = parsed.value;
  }
  return { options, errors };
}
