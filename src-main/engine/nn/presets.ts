import { ModelSpecError } from '../errors';
import { bracketedShape } from './shapes';
import type { ActivationSpec, LayerSpec, ModelSpec } from '../../shared/modelSpec';

/** What a network must fit: one example's input shape, and its output width (classes or regression targets). */
export interface ModelIO {
  inputShape: number[];
  outputSize: number;
}

export interface PresetOptionDescription {
  name: string;
  description: string;
  default: string;
}

export interface PresetDescription {
  name: string;
  description: string;
  options: PresetOptionDescription[];
}

type Options = Readonly<Record<string, string>>;

interface Preset {
  description: string;
  options: PresetOptionDescription[];
  /** Checks the options (all present, defaults filled in) and the input shape, and lays out the layers. */
  layers(options: Options, io: ModelIO, name: string): LayerSpec[];
}

const activations = ['relu', 'tanh', 'sigmoid'] as const;

const presets = {
  linear: {
    description: 'one dense layer (a linear or logistic regression); flattens image input first',
    options: [],
    layers: (_options, io) => [...flattenIfNeeded(io), { type: 'dense', units: io.outputSize }],
  },
  mlp: {
    description: 'a multilayer perceptron: dense hidden layers with an activation, then a dense output; flattens image input first',
    options: [
      { name: 'widths', description: 'hidden layer widths, comma-separated (e.g. 256,128)', default: '128' },
      { name: 'activation', description: `hidden activation: ${activations.join(', ')}`, default: 'relu' },
    ],
    layers: (options, io) => {
      const widths = parseWidths(options.widths);
      const activation = parseActivation(options.activation);
      return [
        ...flattenIfNeeded(io),
        ...widths.flatMap((units): LayerSpec[] => [{ type: 'dense', units }, { type: activation }]),
        { type: 'dense', units: io.outputSize },
      ];
    },
  },
  'basic-cnn': {
    description: "the CurveBall paper's BasicNet: three 5×5 conv layers (32, 32, 64) with max/avg pooling, dense 64, dense output",
    options: [],
    layers: (_options, io, name) => basicNet(io, name, false),
  },
  'basic-cnn-bn': {
    description: 'BasicNet with batch normalisation after every conv and hidden dense layer (before the relu)',
    options: [],
    layers: (_options, io, name) => basicNet(io, name, true),
  },
  'small-cnn': {
    description: 'a small CNN: 3×3 conv 16 + max-pool, 3×3 conv 32 + max-pool, dense output',
    options: [],
    layers: (_options, io, name) => {
      requireImage(io, name);
      return [
        { type: 'conv2d', filters: 16, kernelSize: 3, padding: 'same' },
        { type: 'relu' },
        { type: 'maxPool', poolSize: 2, padding: 'same' },
        { type: 'conv2d', filters: 32, kernelSize: 3, padding: 'same' },
        { type: 'relu' },
        { type: 'maxPool', poolSize: 2, padding: 'same' },
        { type: 'flatten' },
        { type: 'dense', units: io.outputSize },
      ];
    },
  },
} satisfies Record<string, Preset>;

export type PresetName = keyof typeof presets;

export const presetNames = Object.keys(presets) as PresetName[];

export const presetDescriptions: Record<PresetName, string> = Object.fromEntries(
  presetNames.map((name) => [name, presets[name].description]),
) as Record<PresetName, string>;

/** Names, one-line descriptions and options of every preset (for CLI help and the UI). */
export function describePresets(): PresetDescription[] {
  return presetNames.map((name) => ({
    name,
    description: presets[name].description,
    options: presets[name].options.map((o: PresetOptionDescription) => ({ ...o })),
  }));
}

/**
 * The ModelSpec of a preset for a dataset's shapes. Unknown preset or option names and bad option
 * values throw a ModelSpecError that lists what is valid.
 */
export function buildPresetSpec(name: string, options: Record<string, string>, io: ModelIO): ModelSpec {
  if (!Object.hasOwn(presets, name)) {
    throw new ModelSpecError(`unknown architecture preset "${name}"; the presets are ${presetNames.join(', ')}`, 'arch');
  }
  const preset: Preset = presets[name as PresetName];
  const known = preset.options.map((o) => o.name);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const valid = known.length > 0 ? `its options are ${known.join(', ')}` : 'it takes no options';
      throw new ModelSpecError(`preset ${name}: unknown option "${key}"; ${valid}`, `archOptions.${key}`);
    }
  }
  if (!Number.isSafeInteger(io.outputSize) || io.outputSize <= 0) {
    throw new ModelSpecError(`preset ${name}: the output size must be a positive integer, got ${io.outputSize}`);
  }
  const filled: Record<string, string> = {};
  for (const o of preset.options) filled[o.name] = options[o.name] ?? o.default;
  return { inputShape: [...io.inputShape], layers: preset.layers(filled, io, name) };
}

/** conv 5×5 32 + maxPool 3/2; conv 5×5 32 + avgPool 3/2; conv 5×5 64 + avgPool 3/2; dense 64; dense out. */
function basicNet(io: ModelIO, name: string, batchNorm: boolean): LayerSpec[] {
  requireImage(io, name);
  const normalised = (layer: LayerSpec): LayerSpec[] => [layer, ...(batchNorm ? [{ type: 'batchNorm' } as const] : []), { type: 'relu' }];
  const pool = (type: 'maxPool' | 'avgPool'): LayerSpec => ({ type, poolSize: 3, strides: 2, padding: 'same' });
  const conv = (filters: number): LayerSpec => ({ type: 'conv2d', filters, kernelSize: 5, padding: 'same' });
  return [
    ...normalised(conv(32)),
    pool('maxPool'),
    ...normalised(conv(32)),
    pool('avgPool'),
    ...normalised(conv(64)),
    pool('avgPool'),
    { type: 'flatten' },
    ...normalised({ type: 'dense', units: 64 }),
    { type: 'dense', units: io.outputSize },
  ];
}

function flattenIfNeeded(io: ModelIO): LayerSpec[] {
  return io.inputShape.length > 1 ? [{ type: 'flatten' }] : [];
}

function requireImage(io: ModelIO, name: string): void {
  if (io.inputShape.length !== 3) {
    throw new ModelSpecError(
      `preset ${name} needs image input [height, width, channels], but the examples have shape ` +
        `${bracketedShape(io.inputShape)}; use linear or mlp for flat data`,
      'arch',
    );
  }
}

function parseWidths(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const widths = parts.map(Number);
  if (parts.some((s) => !/^\d+$/.test(s)) || widths.some((w) => !Number.isSafeInteger(w) || w <= 0)) {
    throw new ModelSpecError(`preset mlp: widths must be positive integers separated by commas (e.g. 256,128), got "${text}"`, 'archOptions.widths');
  }
  return widths;
}

function parseActivation(text: string): ActivationSpec['type'] {
  if (!(activations as readonly string[]).includes(text)) {
    throw new ModelSpecError(`preset mlp: activation must be one of ${activations.join(', ')}, got "${text}"`, 'archOptions.activation');
  }
  return text as ActivationSpec['type'];
}
