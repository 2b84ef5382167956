import type { OptimizerDescriptor, OptionDescriptor, OptionValue } from '$api/labApi';
import { parseNumberText } from './numberText';

/** What the form holds for one option: text for numbers (empty = the default), a flag for booleans, the name for choices. */
export type OptionInput = string | boolean;

/** The form's starting values: each option's default (numbers as text, empty when there is none; a choice's name). */
export function defaultOptionInputs(optimizer: OptimizerDescriptor): Record<string, OptionInput> {
  return Object.fromEntries(
    optimizer.options.map((o) => [o.name, o.type === 'boolean' ? o.default === true : o.default === null ? '' : String(o.default)]),
  );
}

/** `0 ≤ beta1 < 1`, `lr ≥ 0`: the range the engine's descriptor gives, for the option's help line. */
export function optionRange(option: OptionDescriptor): string {
  const low = option.min === undefined ? '' : `${option.min} ${option.exclusiveMin ? '<' : '≤'} `;
  const high = option.max === undefined ? '' : ` ${option.exclusiveMax ? '<' : '≤'} ${option.max}`;
  if (low === '' && high === '') return '';
  if (low === '') return `${option.name}${high}`;
  if (high === '') return `${option.name} ${option.exclusiveMin ? '>' : '≥'} ${option.min}`;
  return `${low}${option.name}${high}`;
}

/** An option's default as the form shows it: "automatic" where the engine chooses. */
export function optionDefaultText(option: OptionDescriptor): string {
  return option.default === null ? 'automatic' : String(option.default);
}

/** "default 0.9" beside an option whose value was changed, so the user sees what they moved away from; '' otherwise. */
export function changedFromDefault(option: OptionDescriptor, input: OptionInput | undefined): string {
  const changed =
    option.type === 'boolean'
      ? input !== (option.default === true)
      : option.type === 'choice'
        ? input !== undefined && input !== option.default
        : typeof input === 'string' && input.trim() !== '' && Number(input.trim()) !== option.default;
  return changed ? `default ${optionDefaultText(option)}` : '';
}

/**
 * The options to send for one optimizer: flags, choices, and numbers as typed, leaving out those left
 * empty or equal to the engine's default, so a run's stored spec says what was chosen on purpose. The only
 * errors are texts that are not numbers, keyed by option name: the lab judges the values.
 */
export function optionsFromInputs(
  optimizer: OptimizerDescriptor,
  inputs: Record<string, OptionInput>,
): { options: Record<string, OptionValue>; errors: Record<string, string> } {
  const options: Record<string, OptionValue> = {};
  const errors: Record<string, string> = {};
  for (const option of optimizer.options) {
    const input = inputs[option.name] ?? '';
    if (option.type === 'boolean') {
      if ((input === true) !== option.default) options[option.name] = input === true;
      continue;
    }
    if (option.type === 'choice') {
      if (typeof input === 'string' && input !== '' && input !== option.default) options[option.name] = input;
      continue;
    }
    const text = typeof input === 'string' ? input.trim() : '';
    if (text === '') continue;
    const parsed = parseNumberText(option.name, text);
    if (!parsed.ok) errors[option.name] = parsed.error;
    else if (parsed.value !== option.default) options[option.name] = parsed.value;
  }
  return { options, errors };
}
