import { ModelSpecError } from '../errors';

/**
 * Preset option values from their text (the CLI and run specs carry every option as a string). A bad
 * value is a ModelSpecError naming the preset, the option (field `archOptions.<option>`) and the text.
 */

export function positiveIntegerOption(preset: string, option: string, text: string): number {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value <= 0) throw optionError(preset, option, 'a positive integer', text);
  return value;
}

export function booleanOption(preset: string, option: string, text: string): boolean {
  if (text !== 'true' && text !== 'false') throw optionError(preset, option, 'true or false', text);
  return text === 'true';
}

/** A seed of the engine's generators, which are 32-bit: an integer from 0 to 2³² − 1. */
export function seedOption(preset: string, option: string, text: string): number {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value > 0xffffffff) throw optionError(preset, option, 'an integer from 0 to 4294967295', text);
  return value;
}

/** A probability in [0, 1), such as a dropout rate. */
export function rateOption(preset: string, option: string, text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !(value >= 0 && value < 1)) throw optionError(preset, option, 'a number in [0, 1)', text);
  return value;
}

function optionError(preset: string, option: string, expected: string, text: string): ModelSpecError {
  return new ModelSpecError(`preset ${preset}: ${option} must be ${expected}, got "${text}"`, `archOptions.${option}`);
}
