import { ModelSpecError } from '../errors';
import { booleanOption, positiveIntegerOption, rateOption, seedOption } from './presetOptionValues';
import { randomArchitecture } from './randomArchitecture';
import { resnet18Layers } from './resnet18';
import { bracketedShape } from './shapes';
import { vggFLayers } from './vggF';
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
  random: {
    description:
      'a random network, one per archSeed (the fair test of an optimizer): one activation (relu, tanh or sigmoid), ' +
      'batch norm on or off and dropout 0, 0.1 or 0.25 per network; for images 1–3 conv stages (8–32 filters, 3×3 or 5×5, ' +
      'each halving the image by stride 2, max-pool or avg-pool, maybe a residual block), then flatten or global average pooling ' +
      'and 0–2 dense layers; for flat data 1–3 dense layers; dense layers have 16–64 units, maybe a residual block',
    options: [{ name: 'archSeed', description: 'which random network: an integer from 0 to 4294967295', default: '0' }],
    layers: (options, io, name) => randomArchitecture(seedOption(name, 'archSeed', options.archSeed), io),
  },
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
  resnet18: {
    description:
      'ResNet-18 for small images (the CIFAR variant): 3×3 conv stem, four stages of two basic residual blocks ' +
      '(width, 2·, 4·, 8·width filters; stride 2 and a 1×1 projection shortcut entering stages 2–4), batch norm, ' +
      'He-normal conv kernels, global average pooling, dense output',
    options: [{ name: 'width', description: 'filters of the stem and first stage (64 in the paper; narrow for a CPU)', default: '64' }],
    layers: (options, io, name) => {
      requireImage(io, name);
      return resnet18Layers(positiveIntegerOption(name, 'width', options.width), io.outputSize);
    },
  },
  'vgg-f': {
    description:
      "VGG-F (Chatfield et al. 2014): conv 11×11/4 + LRN + max-pool, conv 5×5 + LRN + max-pool, three conv 3×3 + max-pool, " +
      'two dense 4096 with dropout, dense output. Small images: the first conv has stride 4 from 128 px (the paper), ' +
      "2 from 64 px, 1 below ('same' padding), so 32×32 reaches the dense layers at 4×4 and 28×28 at 3×3",
    options: [
      { name: 'width', description: 'filters of the first conv (64 in the paper); the other convs get 4×, the dense layers 64×', default: '64' },
      { name: 'batchNorm', description: 'batch norm after every conv and hidden dense layer, before the relu: true or false', default: 'false' },
      { name: 'dropout', description: 'dropout rate after each hidden dense layer, in [0, 1) (0 leaves it out)', default: '0.5' },
    ],
    layers: (options, io, name) => {
      requireImage(io, name);
      const width = positiveIntegerOption(name, 'width', options.width);
      return vggFLayers({ width, batchNorm: booleanOption(name, 'batchNorm', options.batchNorm), dropout: rateOption(name, 'dropout', options.dropout) }, io);
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
