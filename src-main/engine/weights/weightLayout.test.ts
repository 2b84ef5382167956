import { describe, expect, it } from 'vitest';
import { evalContext, Model } from '../nn/model';
import { buildPresetSpec } from '../nn/presets';
import type { Params } from '../params';
import { tf } from '../tf';
import type { ModelSpec } from '../../shared/modelSpec';
import { modelWeights } from './modelWeights';
import { inversePermutation, permuteAxes, weightLayout } from './weightLayout';

/** Tensors whose every value says where it sits: value(index) over the row-major indices of its shape. */
function indexed(shape: number[], value: (index: number[]) => number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    const index = shape.map(() => 0);
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    values[flat] = value(index);
  }
  return tf.tensor(values, shape);
}

function tensorOf(weights: ReturnType<typeof modelWeights>, name: string) {
  const t = weights.tensors.find((w) => w.name === name);
  if (!t) throw new Error(`no tensor ${name}`);
  return t;
}

describe('permuteAxes', () => {
  it('transposes a matrix', () => {
    expect([...permuteAxes(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0])]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('moves every element of a 4-d tensor where the permutation says, and back', () => {
    const shape = [2, 3, 4, 5];
    const perm = [3, 2, 0, 1];
    const values = Float32Array.from({ length: 120 }, (_, i) => i);
    const out = permuteAxes(values, shape, perm);
    // out[a][b][c][d] = in[c][d][b][a] (axis i of the result is axis perm[i] of the input).
    for (let a = 0; a < 5; a++)
      for (let b = 0; b < 4; b++)
        for (let c = 0; c < 2; c++)
          for (let d = 0; d < 3; d++) expect(out[((a * 4 + b) * 2 + c) * 3 + d]).toBe(((c * 3 + d) * 4 + b) * 5 + a);
    expect([...permuteAxes(out, perm.map((axis) => shape[axis]!), inversePermutation(perm))]).toEqual([...values]);
  });
});

describe('weightLayout', () => {
  it("names basic-cnn-bn's tensors as a PyTorch Sequential of the same layers names them, in PyTorch's shapes", () => {
    const model = Model.fromSpec(buildPresetSpec('basic-cnn-bn', {}, { inputShape: [28, 28, 1], outputSize: 10 }));
    const bn = (i: number, n: number): [string, number[]][] => [
      [`layers.${i}.weight`, [n]],
      [`layers.${i}.bias`, [n]],
      [`layers.${i}.running_mean`, [n]],
      [`layers.${i}.running_var`, [n]],
    ];
    expect(weightLayout(model).map((s) => [s.fileName, s.fileShape])).toEqual([
      ['layers.0.weight', [32, 1, 5, 5]],
      ['layers.0.bias', [32]],
      ...bn(1, 32),
      ['layers.4.weight', [32, 32, 5, 5]],
      ['layers.4.bias', [32]],
      ...bn(5, 32),
      ['layers.8.weight', [64, 32, 5, 5]],
      ['layers.8.bias', [64]],
      ...bn(9, 64),
      ['layers.13.weight', [64, 4 * 4 * 64]],
      ['layers.13.bias', [64]],
      ...bn(14, 64),
      ['layers.16.weight', [10, 64]],
      ['layers.16.bias', [10]],
    ]);
  });

  it('names a residual block\'s tensors under its body ("layers") and shortcut', () => {
    const spec: ModelSpec = {
      inputShape: [4, 4, 2],
      layers: [
        { type: 'residual', layers: [{ type: 'conv2d', filters: 3, kernelSize: 3 }, { type: 'batchNorm' }], shortcut: [{ type: 'conv2d', filters: 3, kernelSize: 1, useBias: false }] },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
    };
    expect(weightLayout(Model.fromSpec(spec)).map((s) => s.fileName)).toEqual([
      'layers.0.layers.0.weight',
      'layers.0.layers.0.bias',
      'layers.0.layers.1.weight',
      'layers.0.layers.1.bias',
      'layers.0.layers.1.running_mean',
      'layers.0.layers.1.running_var',
      'layers.0.shortcut.0.weight',
      'layers.2.weight',
      'layers.2.bias',
    ]);
  });

  it('stores conv kernels [out, in, kh, kw] and dense kernels [out, in]', () => {
    const model = Model.fromSpec({ inputShape: [3, 3, 2], layers: [{ type: 'conv2d', filters: 4, kernelSize: [3, 2], padding: 'same' }, { type: 'globalAvgPool' }, { type: 'dense', units: 5 }] });
    const [conv, dense] = model.params.filter((p) => p.name.endsWith('/kernel'));
    const params: Params = {
      [conv!.name]: indexed([3, 2, 2, 4], ([kh, kw, i, o]) => 1000 * kh! + 100 * kw! + 10 * i! + o!),
      [dense!.name]: indexed([4, 5], ([i, o]) => 10 * i! + o!),
    };
    for (const p of model.params) params[p.name] ??= tf.zeros(p.shape);
    const weights = modelWeights(model, params, model.initState());
    const convFile = tensorOf(weights, 'layers.0.weight');
    expect(convFile.shape).toEqual([4, 2, 3, 2]);
    for (let o = 0; o < 4; o++)
      for (let i = 0; i < 2; i++)
        for (let kh = 0; kh < 3; kh++)
          for (let kw = 0; kw < 2; kw++) expect(convFile.values[((o * 2 + i) * 3 + kh) * 2 + kw]).toBe(1000 * kh + 100 * kw + 10 * i + o);
    const denseFile = tensorOf(weights, 'layers.2.weight');
    expect(denseFile.shape).toEqual([5, 4]);
    for (let o = 0; o < 5; o++) for (let i = 0; i < 4; i++) expect(denseFile.values[o * 4 + i]).toBe(10 * i + o);
  });

  it("reorders what reads a flattened image to PyTorch's (c, h, w): y = W·x_chw + b, computed by hand", () => {
    const [h, w, c] = [2, 3, 2];
    const spec: ModelSpec = { inputShape: [h, w, c], layers: [{ type: 'flatten' }, { type: 'batchNorm' }, { type: 'relu' }, { type: 'dense', units: 3 }] };
    const model = Model.fromSpec(spec);
    const params = model.initParams(7, 'default');
    const features = h * w * c;
    const state = {
      [model.state[0]!.name]: indexed([features], ([f]) => 0.1 * f!),
      [model.state[1]!.name]: indexed([features], ([f]) => 1 + 0.5 * f!),
    };
    const weights = modelWeights(model, params, state);
    // PyTorch's flatten of an NCHW image: feature j = (c·h + y)·w + x.
    const chwToHwc = (j: number): number => {
      const ci = Math.floor(j / (h * w));
      const yi = Math.floor((j % (h * w)) / w);
      const xi = j % w;
      return (yi * w + xi) * c + ci;
    };
    const runningMean = tensorOf(weights, 'layers.1.running_mean').values;
    for (let j = 0; j < features; j++) expect(runningMean[j]).toBeCloseTo(0.1 * chwToHwc(j), 6);

    const x = tf.randomNormal([1, h, w, c], 0, 1, 'float32', 3);
    const xHwc = x.dataSync();
    const file = (name: string) => tensorOf(weights, name).values;
    const [gamma, beta, mean, variance, kernel, bias] = ['weight', 'bias', 'running_mean', 'running_var'].map((n) => file(`layers.1.${n}`)).concat([file('layers.3.weight'), file('layers.3.bias')]);
    const hidden = Array.from({ length: features }, (_, j) => {
      const v = xHwc[chwToHwc(j)]!;
      return Math.max(0, (gamma![j]! * (v - mean![j]!)) / Math.sqrt(variance![j]! + 1e-5) + beta![j]!);
    });
    const byHand = Array.from({ length: 3 }, (_, o) => hidden.reduce((sum, v, j) => sum + kernel![o * features + j]! * v, bias![o]!));
    const y = model.forward(x, params, evalContext(state)).y.dataSync();
    byHand.forEach((v, o) => expect(y[o]).toBeCloseTo(v, 4));
  });

  it('refuses a network whose residual block adds a flattened image to features in another order', () => {
    const model = Model.fromSpec({
      inputShape: [2, 2, 1],
      layers: [{ type: 'flatten' }, { type: 'residual', layers: [{ type: 'dense', units: 4 }] }, { type: 'dense', units: 2 }],
    });
    expect(() => weightLayout(model)).toThrow(/residual block at layers\.1 .* no PyTorch layout/);
  });
});
