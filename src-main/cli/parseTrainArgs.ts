import { describePresets } from '../engine/nn/presets';
import { getOptimizerDefinition, parseOptionValue } from '../engine/optim/registry';
import { defaultRunSpec, type RunSpec } from '../shared/runSpec';
import { parseArch, parseCommandArgs, positiveInteger } from './argumentValues';
import { UsageError } from './usageError';

export interface TrainCommand {
  spec: RunSpec;
  json: boolean;
  logEvery: number;
  backend?: string;
  /** The lab database to record the run in (default: the user's; see defaultDatabasePath). */
  db?: string;
}

/** Parses `curvelab train` arguments into a run spec; every mistake is a UsageError naming the flag. */
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
      seed: { type: 'string' },
      'log-every': { type: 'string' },
      backend: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
    },
  });

  const dataset = required(values.dataset, '--dataset');
  const optimizer = required(values.optimizer, '--optimizer');
  const arch = parseArch(required(values.arch, '--arch'), 'train');
  if (values.epochs !== undefined && values.steps !== undefined) {
    throw new UsageError('give either --epochs or --steps, not both', 'train');
  }
  const definition = getOptimizerDefinition(optimizer);
  const { optimizerOptions, archOptions } = routeSettings(values.set ?? [], definition.name, arch);

  const spec: RunSpec = {
    ...defaultRunSpec,
    dataset,
    ...(values.target !== undefined ? { target: values.target } : {}),
    arch,
    archOptions,
    optimizer: definition.name,
    optimizerOptions,
    ...(values.steps !== undefined
      ? { steps: positiveInteger(values.steps, '--steps', 'train') }
      : { epochs: values.epochs !== undefined ? positiveInteger(values.epochs, '--epochs', 'train') : 1 }),
    batchSize: parseBatchSize(values['batch-size']),
    shuffle: !values['no-shuffle'],
    init: parseInit(values.init),
    seed: values.seed !== undefined ? nonNegativeInteger(values.seed, '--seed') : defaultRunSpec.seed,
  };
  return {
    spec,
    json: values.json ?? false,
    logEvery: values['log-every'] !== undefined ? positiveInteger(values['log-every'], '--log-every', 'train') : 1,
    ...(values.backend !== undefined ? { backend: values.backend } : {}),
    ...(values.db !== undefined ? { db: values.db } : {}),
  };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`, 'train');
  return value;
}

/** Sends each --set key=value to the optimizer or the architecture preset, whichever has that option. */
function routeSettings(settings: string[], optimizer: string, arch: RunSpec['arch']) {
  const definition = getOptimizerDefinition(optimizer);
  const preset = typeof arch === 'string' ? describePresets().find((p) => p.name === arch) : undefined;
  const presetOptions = preset?.options.map((o) => o.name) ?? [];
  const optimizerOptions: Record<string, number | boolean> = {};
  const archOptions: Record<string, string> = {};
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${setting}: expected key=value`, 'train');
    const key = setting.slice(0, eq);
    const text = setting.slice(eq + 1);
    if (definition.options.some((o) => o.name === key)) {
      optimizerOptions[key] = parseOptionValue(definition, key, text);
    } else if (presetOptions.includes(key)) {
      archOptions[key] = text;
    } else {
      const known = [
        `${definition.name}: ${definition.options.map((o) => o.name).join(', ') || '(none)'}`,
        ...(preset ? [`${preset.name}: ${presetOptions.join(', ') || '(none)'}`] : []),
      ];
      throw new UsageError(`--set ${key}: no such option (${known.join('; ')})`, 'train');
    }
  }
  return { optimizerOptions, archOptions };
}

function parseBatchSize(value: string | undefined): number | 'full' {
  if (value === undefined) return defaultRunSpec.batchSize;
  if (value === 'full') return 'full';
  return positiveInteger(value, '--batch-size', 'train');
}

function parseInit(value: string | undefined): RunSpec['init'] {
  if (value === undefined) return 'default';
  if (value === 'default' || value === 'zeros') return value;
  throw new UsageError(`--init ${value}: expected default or zeros`, 'train');
}

function nonNegativeInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n > 0xffffffff) {
    throw new UsageError(`${flag} ${text}: expected an integer from 0 to 4294967295`, 'train');
  }
  return n;
}
