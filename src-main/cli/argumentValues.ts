import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { UserInputError } from '../engine/errors';
import { describePresets } from '../engine/nn/presets';
import type { RunSpec } from '../shared/runSpec';
import { UsageError } from './usageError';

/** Argument values that several commands take, parsed with one set of messages. */

/** A preset name, or a path to a JSON model spec. */
export function parseArch(value: string, command: string): RunSpec['arch'] {
  const presets = describePresets().map((p) => p.name);
  if (presets.includes(value)) return value;
  if (value.endsWith('.json') || existsSync(value)) {
    if (!existsSync(value)) throw new UserInputError(`${value}: no such model spec file`);
    let text: string;
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new UserInputError(`${value}: cannot read the model spec (${(error as Error).message})`);
    }
    try {
      return JSON.parse(text) as RunSpec['arch'];
    } catch (error) {
      throw new UserInputError(`${value}: not valid JSON (${(error as Error).message})`);
    }
  }
  throw new UsageError(`--arch ${value}: not a preset (${presets.join(', ')}) nor a .json model spec file`, command);
}

/** A positive integer flag value; anything else is a UsageError naming the flag. */
export function positiveInteger(text: string, flag: string, command: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} ${text}: expected a positive integer`, command);
  }
  return n;
}

/** node:util's parseArgs (strict, its default), with its complaints turned into a UsageError for `command`. */
export function parseCommandArgs<const T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
}
