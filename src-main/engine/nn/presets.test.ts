import { describe, expect, it } from 'vitest';
import { ModelSpecError } from '../errors';
import { Model } from './model';
import { buildPresetSpec, describePresets, presetDescriptions, presetNames } from './presets';

const image = { inputShape: [8, 8, 3], outputSize: 5 };
const flat = { inputShape: [12], outputSize: 3 };

function typesOf(name: string, options: Record<string, string>, io: { inputShape: number[]; outputSize: number }): string[] {
  return buildPresetSpec(name, options, io).layers.map((l) => l.type);
}

describe('presets', () => {
  it('builds every preset into a model with the requested output size', () => {
    expect(presetNames).toEqual(['random', 'linear', 'mlp', 'basic-cnn', 'basic-cnn-bn', 'small-cnn', 'resnet18', 'vgg-f']);
    for (const name of presetNames) {
      const model = Model.fromSpec(buildPresetSpec(name, {}, image));
      expect(model.inputShape).toEqual([8, 8, 3]);
      expect(model.outputShape).toEqual([5]);
      expect(presetDescriptions[name].length).toBeGreaterThan(10);
    }
  });

  it('linear and mlp flatten image input, and only image input', () => {
    expect(typesOf('linear', {}, flat)).toEqual(['dense']);
    expect(typesOf('linear', {}, image)).toEqual(['flatten', 'dense']);
    expect(typesOf('mlp', {}, image)).toEqual(['flatten', 'dense', 'relu', 'dense']);
    const spec = buildPresetSpec('mlp', { widths: '16, 8', activation: 'tanh' }, flat);
    expect(spec.layers).toEqual([
      { type: 'dense', units: 16 },
      { type: 'tanh' },
      { type: 'dense', units: 8 },
      { type: 'tanh' },
      { type: 'dense', units: 3 },
    ]);
    expect(buildPresetSpec('mlp', {}, flat).layers[0]).toEqual({ type: 'dense', units: 128 });
  });

  it("lays out the paper's BasicNet, and with batch norm after every conv and hidden dense layer (before the relu)", () => {
    expect(typesOf('basic-cnn', {}, image)).toEqual([
      'conv2d', 'relu', 'maxPool',
      'conv2d', 'relu', 'avgPool',
      'conv2d', 'relu', 'avgPool',
      'flatten', 'dense', 'relu', 'dense',
    ]);
    expect(typesOf('basic-cnn-bn', {}, image)).toEqual([
      'conv2d', 'batchNorm', 'relu', 'maxPool',
      'conv2d', 'batchNorm', 'relu', 'avgPool',
      'conv2d', 'batchNorm', 'relu', 'avgPool',
      'flatten', 'dense', 'batchNorm', 'relu', 'dense',
    ]);
    const layers = buildPresetSpec('basic-cnn', {}, image).layers;
    expect(layers[0]).toEqual({ type: 'conv2d', filters: 32, kernelSize: 5, padding: 'same' });
    expect(layers[2]).toEqual({ type: 'maxPool', poolSize: 3, strides: 2, padding: 'same' });
    expect(typesOf('small-cnn', {}, image)).toEqual(['conv2d', 'relu', 'maxPool', 'conv2d', 'relu', 'maxPool', 'flatten', 'dense']);
  });

  it('rejects unknown presets, unknown options and bad values, listing what is valid', () => {
    const fails = (f: () => unknown, message: string | RegExp) => {
      expect(f).toThrow(ModelSpecError);
      expect(f).toThrow(message);
    };
    fails(() => buildPresetSpec('resnet', {}, image), 'unknown architecture preset "resnet"; the presets are random, linear, mlp, basic-cnn, basic-cnn-bn, small-cnn, resnet18, vgg-f');
    fails(() => buildPresetSpec('mlp', { width: '3' }, flat), 'preset mlp: unknown option "width"; its options are widths, activation');
    fails(() => buildPresetSpec('linear', { widths: '3' }, flat), 'preset linear: unknown option "widths"; it takes no options');
    fails(() => buildPresetSpec('mlp', { widths: '16,,8' }, flat), 'preset mlp: widths must be positive integers separated by commas');
    fails(() => buildPresetSpec('mlp', { widths: '0' }, flat), 'preset mlp: widths must be positive integers');
    fails(() => buildPresetSpec('mlp', { activation: 'gelu' }, flat), 'preset mlp: activation must be one of relu, tanh, sigmoid, got "gelu"');
    fails(() => buildPresetSpec('basic-cnn', {}, flat), 'preset basic-cnn needs image input [height, width, channels], but the examples have shape [12]');
  });

  it('describes names, descriptions and options for the CLI', () => {
    const described = describePresets();
    expect(described.map((p) => p.name)).toEqual(presetNames);
    expect(described.find((p) => p.name === 'mlp')?.options).toEqual([
      expect.objectContaining({ name: 'widths', default: '128' }),
      expect.objectContaining({ name: 'activation', default: 'relu' }),
    ]);
    expect(described.find((p) => p.name === 'basic-cnn')?.options).toEqual([]);
  });
});
