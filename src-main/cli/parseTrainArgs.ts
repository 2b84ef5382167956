import { resolve } from 'node:path';
import { describePresets } from '../engine/nn/presets';
import { OptimizerOptionError } from '../engine/errors';
import { optimizerDescriptors, parseOptionText } from '../engine/optim/registry';
import { normalizeRuns, requestStructure, type CheckedRunSpec } from '../lab/runSpec/normalizeRuns';
import type { OptionValue } from '../shared/optimizerDescriptor';
import type { RunSpec } from '../shared/runSpec';
import { experimentNameFor } from '../lab/lab';
import { parseCheckpointEvery } from '../shared/checkpointEvery';
import { didYouMean } from '../shared/closestName';
import { checkDatasetName, parseArch, parseCommandArgs, positiveInteger } from './argumentValues';
import { UsageError } from './usageError';

export interface TrainCommand {
  spec: CheckedRunSpec;
  /** The flag (with what it was given) a field of the one-run request came from, for messages: `--arch spec.json`. */
  flagOf(field: string): string;
  json: boolean;
  logEvery: number;
  backend?: string;
  /** The lab database to record the run in (default: the user's; see defaultDatabasePath). */
  db?: string;
  /** The experiment to record the run in, made when no experiment has that name: --experiment, else named after the run. */
  experiment: string;
  /** Check the spec against the dataset and describe the model, training and recording nothing. */
  dryRun: boolean;
}

/**
 * Parses `curvelab train` arguments into a checked run spec. The flags become the one-run request the
 * Lab API takes and go through the same schema and normalizeRuns, so the command accepts exactly what
 * the API accepts, with the same messages after the flag at fault (a UsageError). The model is checked
 * against the dataset when the dataset is loaded, by the same function the lab uses.
 */
export function parseTrainArgs(argv: string[]): TrainCommand {
  const { values } = parseCommandArgs('train', {
    args: argv,
    allowPositionals: false,
    options: {
      dataset: { type: 'string' },
      target: { type: 'string' },
      arch: { type: 'string' },
      optimizer: { type: 'string' },
      set: { type: 'string', multiple: true },
      epochs: { type: 'string' },
      steps: { type: 'string' },
      'batch-size': { type: 'string' },
      'no-shuffle': { type: 'boolean' },
      init: { type: 'string' },
      'init-from': { type: 'string' },
      seed: { type: 'string' },
      'train-size': { type: 'string' },
      'val-size': { type: 'string' },
      augment: { type: 'boolean' },
      'no-augment': { type: 'boolean' },
      'divergence-factor': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      experiment: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'log-every': { type: 'string' },
      backend: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
    },
  });

  const dataset = required(values.dataset, '--dataset');
  checkDatasetName(dataset, 'train');
  const optimizer = required(values.optimizer, '--optimizer');
  const arch = parseArch(required(values.arch, '--arch'), 'train');
  if (values.epochs !== undefined && values.steps !== undefined) {
    throw new UsageError('give either --epochs or --steps, not both', 'train');
  }
  if (values.augment && values['no-augment']) throw new UsageError('give either --augment or --no-augment, not both', 'train');
  const augment = values.augment ? true : values['no-augment'] ? false : undefined;
  const divergenceFactor = values['divergence-factor'];
  const checkpointEveryText = values['checkpoint-every'];
  const checkpointEvery = checkpointEveryText === undefined ? undefined : parseCheckpointEvery(checkpointEveryText);
  if (checkpointEvery === null) {
    throw new UsageError(`--checkpoint-every ${checkpointEveryText}: expected a number of steps (500) or a duration (90s, 5m, 2h)`, 'train');
  }
  const { optimizerOptions, archOptions } = routeSettings(values.set ?? [], optimizer, arch);
  const batchSize = values['batch-size'];
  const structure = requestStructure({
    ...(values.experiment !== undefined ? { experimentName: values.experiment } : {}),
    base: {
      dataset,
      ...(values.target !== undefined ? { target: values.target } : {}),
      arch,
      archOptions,
      ...(values.epochs !== undefined ? { epochs: integerText(values.epochs) } : {}),
      ...(values.steps !== undefined ? { steps: integerText(values.steps) } : {}),
      ...(batchSize !== undefined ? { batchSize: batchSize === 'full' ? batchSize : integerText(batchSize) } : {}),
      shuffle: !values['no-shuffle'],
      ...(values.init !== undefined ? { init: values.init } : {}),
      // Absolute, so the recorded spec names the same file wherever it is read again.
      ...(values['init-from'] !== undefined ? { initFrom: values['init-from'] === '' ? '' : resolve(values['init-from']) } : {}),
      ...(values['train-size'] !== undefined ? { trainSize: integerText(values['train-size']) } : {}),
      ...(values['val-size'] !== undefined ? { valSize: integerText(values['val-size']) } : {}),
      ...(augment !== undefined ? { augment } : {}),
      ...(divergenceFactor !== undefined ? { divergenceFactor: divergenceFactor === 'off' ? divergenceFactor : numberText(divergenceFactor) } : {}),
      ...(checkpointEvery !== undefined ? { checkpointEvery } : {}),
    },
    optimizers: [{ name: optimizer, options: optimizerOptions }],
    seeds: [values.seed !== undefined ? integerText(values.seed) : 0],
  });
  const { specs, issues } = normalizeRuns(structure, null);
  const issue = issues[0];
  if (issue) {
    const hint = issue.field === 'optimizers.0.name' ? didYouMean(optimizer, optimizerDescriptors().map((d) => d.name)) : '';
    throw new UsageError(`${flagOf(issue.field, values)}: ${issue.message}${hint}`, 'train');
  }
  return {
    spec: specs[0]!,
    flagOf: (field) => flagOf(field, values),
    json: values.json ?? false,
    logEvery: values['log-every'] !== undefined ? positiveInteger(values['log-every'], '--log-every', 'train') : 1,
    ...(values.backend !== undefined ? { backend: values.backend } : {}),
    ...(values.db !== undefined ? { db: values.db } : {}),
    experiment: structure.request.experimentName ?? experimentNameFor(structure.request),
    dryRun: values['dry-run'] ?? false,
  };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`, 'train');
  return value;
}

/** A flag's integer, for the request schema to judge: anything but digits is NaN, which it refuses with its range. */
function integerText(text: string): number {
  return /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
}

/** A flag's number (1000, 1e4), for the request schema to judge: anything else is NaN, which it refuses with its range. */
function numberText(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/**
 * Sends each --set key=value to the optimizer or the architecture preset, whichever has that option.
 * An unknown optimizer takes nothing: the request check refuses its name first.
 */
function routeSettings(settings: string[], optimizer: string, arch: RunSpec['arch']) {
  const descriptor = optimizerDescriptors().find((d) => d.name === optimizer);
  const preset = typeof arch === 'string' ? describePresets().find((p) => p.name === arch) : undefined;
  const presetOptions = preset?.options.map((o) => o.name) ?? [];
  const optimizerOptions: Record<string, OptionValue> = {};
  const archOptions: Record<string, string> = {};
  if (!descriptor) return { optimizerOptions, archOptions };
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${setting}: expected key=value`, 'train');
    const key = setting.slice(0, eq);
    const text = setting.slice(eq + 1);
    if (descriptor.options.some((o) => o.name === key)) {
      optimizerOptions[key] = optionValue(optimizer, key, text);
    } else if (presetOptions.includes(key)) {
      archOptions[key] = text;
    } else {
      const known = [
        `${descriptor.name}: ${descriptor.options.map((o) => o.name).join(', ') || '(none)'}`,
        ...(preset ? [`${preset.name}: ${presetOptions.join(', ') || '(none)'}`] : []),
      ];
      throw new UsageError(`--set ${key}: no such option (${known.join('; ')})`, 'train');
    }
  }
  return { optimizerOptions, archOptions };
}

function optionValue(optimizer: string, key: string, text: string): OptionValue {
  try {
    return parseOptionText(optimizer, key, text);
  } catch (error) {
    // Named as the request check names an option it refuses, so the message is the same either way.
    if (error instanceof OptimizerOptionError) throw new UsageError(`--set ${key}: ${error.message}`, 'train');
    throw error;
  }
}

/** Where a request field came from on the command line, with what was given, for the start of a message. */
function flagOf(field: string, values: Readonly<Record<string, unknown>>): string {
  const given = (flag: string, key: string): string => (typeof values[key] === 'string' ? `${flag} ${values[key]}` : flag);
  const option = /^(?:optimizers\.0\.options|base\.archOptions)\.(.+)$/.exec(field);
  if (option) return `--set ${option[1]}`;
  if (field === 'seeds' || field.startsWith('seeds.')) return given('--seed', 'seed');
  if (field === 'optimizers.0.name') return given('--optimizer', 'optimizer');
  if (field === 'experimentName') return given('--experiment', 'experiment');
  if (field === 'base.augment') return values['augment'] ? '--augment' : '--no-augment';
  if (field.startsWith('optimizers.')) return `${given('--optimizer', 'optimizer')} with these --set options`;
  const flags: Record<string, [string, string]> = {
    dataset: ['--dataset', 'dataset'],
    target: ['--target', 'target'],
    arch: ['--arch', 'arch'],
    epochs: ['--epochs', 'epochs'],
    steps: ['--steps', 'steps'],
    batchSize: ['--batch-size', 'batch-size'],
    shuffle: ['--no-shuffle', 'no-shuffle'],
    init: ['--init', 'init'],
    initFrom: ['--init-from', 'init-from'],
    trainSize: ['--train-size', 'train-size'],
    valSize: ['--val-size', 'val-size'],
    divergenceFactor: ['--divergence-factor', 'divergence-factor'],
    checkpointEvery: ['--checkpoint-every', 'checkpoint-every'],
  };
  const flag = flags[field.split('.')[1] ?? ''];
  return flag ? given(...flag) : field;
}
