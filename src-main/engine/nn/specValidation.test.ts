import { describe, expect, it } from 'vitest';
import { ModelSpecError } from '../errors';
import { Model, validateModelSpec } from './model';

const validSpec = {
  inputShape: [8, 8, 3],
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: [3, 3], strides: 1, padding: 'same', name: 'stem' },
    { type: 'batchNorm', momentum: 0.9, epsilon: 1e-3 },
    { type: 'relu' },
    { type: 'residual', layers: [{ type: 'conv2d', filters: 4, kernelSize: 3 }, { type: 'tanh' }] },
    { type: 'maxPool', poolSize: 2 },
    { type: 'dropout', rate: 0.1 },
    { type: 'globalAvgPool' },
    { type: 'dense', units: 2, useBias: false },
  ],
};

function messageOf(json: unknown): string {
  try {
    validateModelSpec(json);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelSpecError);
    return (e as Error).message;
  }
  throw new Error('expected the spec to be rejected');
}

function withLayer(layer: unknown, index = 0): unknown {
  const layers: unknown[] = structuredClone(validSpec.layers);
  layers[index] = layer;
  return { ...validSpec, layers };
}

describe('validateModelSpec', () => {
  it('accepts a valid spec and returns a copy', () => {
    const spec = validateModelSpec(validSpec);
    expect(spec).toEqual(validSpec);
    expect(spec).not.toBe(validSpec);
    expect(Model.fromSpec(spec).outputShape).toEqual([2]);
  });

  it('names the offending path and what was expected', () => {
    expect(messageOf(null)).toBe('the model spec must be an object with inputShape and layers, got null');
    expect(messageOf({ layers: validSpec.layers })).toBe('inputShape: missing; expected [features] or [height, width, channels]');
    expect(messageOf({ ...validSpec, inputShape: [8, 0, 3] })).toMatch(/^inputShape: expected a non-empty array of positive integers.*got \[8,0,3\]$/);
    expect(messageOf({ inputShape: [4] })).toBe('layers: missing; expected a non-empty array of layer specs');
    expect(messageOf({ inputShape: [4], layers: [] })).toBe('layers: expected a non-empty array of layer specs, got []');
    expect(messageOf({ ...validSpec, extra: 1 })).toBe('extra: unknown field; the model spec takes inputShape, layers');
    expect(messageOf(withLayer({ type: 'conv3d' }, 2))).toMatch(/^layer 3: type: expected one of dense, conv2d, relu, .*residual, got "conv3d"$/);
    expect(messageOf(withLayer({ type: 'conv2d', filters: 4, kernelSize: 0 }))).toBe(
      'layer 1 (conv2d): kernelSize: expected a positive integer or [height, width] of positive integers, got 0',
    );
    expect(messageOf(withLayer({ type: 'conv2d', filters: 4 }))).toBe('layer 1 (conv2d): kernelSize: missing; a conv2d layer needs kernelSize');
    expect(messageOf(withLayer({ type: 'conv2d', filters: 2.5, kernelSize: 3 }))).toBe('layer 1 (conv2d): filters: expected a positive integer, got 2.5');
    expect(messageOf(withLayer({ type: 'conv2d', filters: 4, kernel_size: 3, kernelSize: 3 }))).toBe(
      'layer 1 (conv2d): kernel_size: unknown field; a conv2d layer takes type, name, filters, kernelSize, strides, padding, useBias, kernelInit',
    );
    expect(messageOf(withLayer({ type: 'maxPool', poolSize: 2, padding: 'full' }, 4))).toBe(
      `layer 5 (maxPool): padding: expected 'same' or 'valid', got "full"`,
    );
    expect(messageOf(withLayer({ type: 'dropout', rate: 1 }, 5))).toBe('layer 6 (dropout): rate: expected a number in [0, 1), got 1');
    expect(messageOf(withLayer({ type: 'batchNorm', epsilon: 0 }, 1))).toBe('layer 2 (batchNorm): epsilon: expected a positive number, got 0');
    expect(messageOf(withLayer({ type: 'dense', units: 2, useBias: 'no' }, 7))).toBe('layer 8 (dense): useBias: expected true or false, got "no"');
  });

  it('checks the lrn fields and kernelInit', () => {
    expect(validateModelSpec(withLayer({ type: 'lrn', depthRadius: 0, bias: 1, alpha: 0.5, beta: 0.75 }, 2)).layers[2]).toEqual({
      type: 'lrn', depthRadius: 0, bias: 1, alpha: 0.5, beta: 0.75,
    });
    expect(messageOf(withLayer({ type: 'lrn', depthRadius: 1.5 }, 2))).toBe('layer 3 (lrn): depthRadius: expected a non-negative integer, got 1.5');
    expect(messageOf(withLayer({ type: 'lrn', bias: 0 }, 2))).toBe('layer 3 (lrn): bias: expected a positive number, got 0');
    expect(messageOf(withLayer({ type: 'lrn', size: 5 }, 2))).toBe('layer 3 (lrn): size: unknown field; a lrn layer takes type, name, depthRadius, bias, alpha, beta');
    expect(validateModelSpec(withLayer({ type: 'dense', units: 2, kernelInit: 'heNormal' }, 7)).layers[7]).toEqual({ type: 'dense', units: 2, kernelInit: 'heNormal' });
    expect(messageOf(withLayer({ type: 'conv2d', filters: 4, kernelSize: 3, kernelInit: 'he' }))).toBe(
      `layer 1 (conv2d): kernelInit: expected 'glorotUniform' or 'heNormal', got "he"`,
    );
  });

  it('walks into residual bodies', () => {
    const nested = withLayer({ type: 'residual', layers: [{ type: 'relu' }, { type: 'conv2d', filters: 4, kernelSize: [3, -1] }] }, 3);
    expect(messageOf(nested)).toBe('layer 4 › layer 2 (conv2d): kernelSize: expected a positive integer or [height, width] of positive integers, got [3,-1]');
    expect(messageOf(withLayer({ type: 'residual', layers: [] }, 3))).toBe('layer 4 (residual): layers: expected a non-empty array of layer specs, got []');
  });

  it('counts layers from 1 in its messages, and keeps the path of the value at fault as the error field', () => {
    const errorOf = (json: unknown): ModelSpecError => {
      try {
        validateModelSpec(json);
      } catch (e) {
        return e as ModelSpecError;
      }
      throw new Error('expected the spec to be rejected');
    };
    // The third layer, counted from 1, is index 2 of the array: a person finds it by counting.
    expect(errorOf(withLayer({ type: 'conv2d', filters: 4, kernelSize: 0 }, 2))).toMatchObject({
      message: 'layer 3 (conv2d): kernelSize: expected a positive integer or [height, width] of positive integers, got 0',
      field: 'layers[2].kernelSize',
    });
    expect(errorOf(withLayer(7, 0))).toMatchObject({ message: 'layer 1: expected a layer spec object with a "type", got 7', field: 'layers[0]' });
    const shortcut = withLayer({ type: 'residual', layers: [{ type: 'relu' }], shortcut: [{ type: 'dense' }] }, 3);
    expect(errorOf(shortcut)).toMatchObject({ message: 'layer 4 › shortcut layer 1 (dense): units: missing; a dense layer needs units', field: 'layers[3].shortcut[0].units' });
  });

  it('requires unique names without "/"', () => {
    expect(messageOf(withLayer({ type: 'relu', name: 'stem' }, 2))).toBe(
      'layer 3 (relu): name: the name "stem" is already used by layer 1; layer names must be unique',
    );
    expect(messageOf(withLayer({ type: 'relu', name: 'a/b' }, 2))).toMatch(/^layer 3 \(relu\): name: expected a non-empty name/);
  });
});

describe('Model.fromSpec build-time checks', () => {
  it('rejects layers that do not fit their input, naming the layer and field', () => {
    expect(() => Model.fromSpec({ inputShape: [8, 8, 1], layers: [{ type: 'relu' }, { type: 'dense', units: 3 }] })).toThrow(
      'layer 2 (dense "dense_1"): input shape [8, 8, 1] is not flat; put a flatten layer before this dense layer',
    );
    expect(() =>
      Model.fromSpec({ inputShape: [4, 4, 1], layers: [{ type: 'maxPool', poolSize: [2, 5], padding: 'valid' }] }),
    ).toThrow(`layer 1 (maxPool "maxPool_0"): poolSize 2×5 is larger than the 4×4 input with padding 'valid'`);
  });

  it('rejects an explicit name that an unnamed layer would get automatically', () => {
    expect(() => Model.fromSpec({ inputShape: [3], layers: [{ type: 'relu', name: 'dense_1' }, { type: 'dense', units: 2 }] })).toThrow(
      'layer 2: its automatic name "dense_1" is another layer\'s name; name this layer or rename the other',
    );
  });

  it('validates at runtime even when the TypeScript type says the spec is fine', () => {
    expect(() => Model.fromSpec({ inputShape: [3], layers: [{ type: 'dense', units: -1 }] })).toThrow('layer 1 (dense): units: expected a positive integer, got -1');
  });
});

describe('validateModelSpec: nesting', () => {
  /** `depth` residual blocks, each the only layer of the one around it, a dense layer innermost. */
  function nested(depth: number): unknown {
    let layers: unknown[] = [{ type: 'dense', units: 2 }];
    for (let i = 0; i < depth; i++) layers = [{ type: 'residual', layers }];
    return { inputShape: [2], layers };
  }

  it('refuses residual blocks nested deeper than 32, naming the list, before any pass recurses that deep', () => {
    expect(() => Model.fromSpec(nested(32) as never)).not.toThrow();
    const error = (() => {
      try {
        validateModelSpec(nested(20_000));
      } catch (e) {
        return e as ModelSpecError;
      }
      throw new Error('expected the spec to be rejected');
    })();
    expect(error).toBeInstanceOf(ModelSpecError);
    expect(error.field).toBe(`layers${'[0].layers'.repeat(33)}`);
    expect(error.message).toBe(`${Array(33).fill('layer 1').join(' › ')} (residual): layers: residual blocks nested 33 deep; at most 32`);
  });
});
