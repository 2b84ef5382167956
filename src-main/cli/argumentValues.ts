import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync } from 'node:fs';
import { EMBEDDED_MNIST_NAME } from '../engine/data/datasetSources';
import { UserInputError } from '../engine/errors';
import { describePresets } from '../engine/nn/presets';
import { didYouMean } from '../shared/closestName';
import type { RunSpec } from '../shared/runSpec';
import { readJsonFile } from './readJsonFile';
import { UsageError } from './usageError';

/** Argument values that several commands take, parsed with one set of messages. */

/** A preset name, or a path to a JSON model spec. */
export function parseArch(value: string, command: string): RunSpec['arch'] {
  const presets = describePresets().map((p) => p.name);
  if (presets.includes(value)) return value;
  if (value.endsWith('.json') || existsSync(value)) {
    if (!existsSync(value)) throw new UserInputError(`${value}: no such model spec file`);
    return readJsonFile(value, 'model spec') as RunSpec['arch'];
  }
  throw new UsageError(`--arch ${value}: not a preset (${presets.join(', ')}) nor a .json model spec file${didYouMean(value, presets)}`, command);
}

/**
 * A --dataset that is neither a built-in name nor an existing path but resembles a built-in name
 * (`mnsit`) is refused here with that name; anything else is the loader's to judge.
 */
export function checkDatasetName(value: string, command: string): void {
  const name = value.trim().toLowerCase();
  if (name === EMBEDDED_MNIST_NAME || existsSync(value)) return;
  const hint = didYouMean(name, [EMBEDDED_MNIST_NAME]);
  if (hint !== '') throw new UsageError(`--dataset ${value}: not a built-in dataset, and no file or folder has that path${hint}`, command);
}

/** A positive integer flag value; anything else is a UsageError naming the flag. */
export function positiveInteger(text: string, flag: string, command: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} ${text}: expected a positive integer`, command);
  }
  return n;
}

/**
 * node:util's parseArgs (strict, its default) with CurveLab's messages for what it refuses: an unknown
 * option (with the nearest known one), a missing value, a value given to a switch, an argument where the
 * command takes none. A negative number is a value (`--epochs -1`), for the value's own check to judge,
 * not a missing one as parseArgs has it.
 */
export function parseCommandArgs<const T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  const options = config.options ?? {};
  const args = [...(config.args ?? [])];
  const { tokens } = parseArgs({ args, options, strict: false, tokens: true });
  const known = Object.keys(options).map((name) => `--${name}`);
  const negativeValues: number[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional' && config.allowPositionals !== true) {
      throw new UsageError(`unexpected argument ${JSON.stringify(token.value)}`, command);
    }
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (option === undefined) throw new UsageError(`${token.rawName}: no such option${didYouMean(token.rawName, known)}`, command);
    if (option.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value (got ${token.rawName}=${token.value})`, command);
    }
    if (option.type === 'string' && !token.inlineValue && (token.value === undefined || token.value.startsWith('-'))) {
      if (token.value === undefined || !/^-\.?\d/.test(token.value)) throw new UsageError(`${token.rawName}: missing its value`, command);
      negativeValues.push(token.index);
    }
  }
  // `--epochs=-1` is how parseArgs takes a value that starts with a dash; backwards, so the earlier indices hold.
  for (const index of negativeValues.reverse()) args.splice(index, 2, `${args[index]}=${args[index + 1]}`);
  const joined: T = { ...config, args };
  return parseArgs(joined);
}
