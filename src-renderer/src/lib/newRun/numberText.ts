import { parseError, parsedValue, type Parsed } from '../shell/parsed';

/**
 * A number as typed, in plain decimal notation (`0.1`, `1e-3`, `-2`): Number() alone would also take
 * "0x10" and "Infinity", and read "" as 0. Whether the value is in range is the lab's to say.
 */
export function parseNumberText(label: string, text: string): Parsed<number> {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) && Number.isFinite(value)) return parsedValue(value);
  return parseError(`${label}: expected a number, got "${trimmed}"`);
}
