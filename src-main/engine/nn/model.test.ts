import { describe, expect, it } from 'vitest';
import { ModelSpecError } from '../errors';
import type { Params } from '../params';
import { Rng } from '../rng';
import { tf } from '../tf';
import { gradientErrorAgainstAutodiff } from './autodiffReference.testkit';
import { randomTensor, read } from './derivativeChecks.testkit';
import type { LayerContext, ModelState } from './layer';
import { evalContext, Model, trainContext } from './model';
import { modelDerivativeErrors, type ModelCase } from './modelChecks.testkit';
import { buildPresetSpec } from './presets';
import type { LayerSpec, ModelSpec } from '../../shared/modelSpec';

const noMasks = () => {
  throw new Error('no dropout in this model');
};

/** A small residual network: conv stem, one block (conv, batchNorm, relu, conv), global pooling, dense head. */
const residualBlock: LayerSpec[] = [
  { type: 'conv2d', filters: 3, kernelSize: 3 },
  { type: 'batchNorm' },
  { type: 'relu' },
  { type: 'conv2d', filters: 3, kernelSize: 3 },
];
const residualSpec: ModelSpec = {
  inputShape: [4, 4, 2],
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3 },
    { type: 'tanh' },
    { type: 'residual', layers: residualBlock },
    { type: 'globalAvgPool' },
    { type: 'dense', units: 3 },
  ],
};

const modelCases: ModelCase[] = [
  { name: 'mlp', spec: buildPresetSpec('mlp', { widths: '5,4' }, { inputShape: [6], outputSize: 3 }), batch: 3, eps: 1e-2 },
  // Thousands of relu and max-pool kinks: a small step crosses few of them (the error grows ~linearly in eps).
  { name: 'basic-cnn-bn', spec: buildPresetSpec('basic-cnn-bn', {}, { inputShape: [8, 8, 3], outputSize: 4 }), batch: 3, eps: 1e-3 },
  { name: 'residual block model', spec: residualSpec, batch: 3, eps: 3e-3 },
];

describe('Model derivatives', () => {
  for (const c of modelCases) {
    it(`${c.name}: JVP matches finite differences and the VJP is its adjoint (train mode)`, () => {
      const errors = modelDerivativeErrors(c, 11);
      expect(errors.jvpNorm).toBeGreaterThan(0.1);
      expect(errors.finiteDifference).toBeLessThan(1e-2);
      expect(errors.adjoint).toBeLessThan(1e-4);
    });
  }

  it('residual block model: the gradient matches TF.js autodiff of the forward pass', () => {
    const state = Model.fromSpec(residualSpec).initState();
    const context = (): LayerContext => trainContext(state, null, noMasks);
    expect(gradientErrorAgainstAutodiff({ inputShape: residualSpec.inputShape, layers: residualSpec.layers, batch: 3, context })).toBeLessThan(1e-4);
    tf.dispose(Object.values(state));
  });

  it('gives a zero output tangent for an empty direction and a gradient for every parameter in order', () => {
    tf.tidy(() => {
      const model = Model.fromSpec(residualSpec);
      const params = model.initParams(1, 'default');
      const { y, cache } = model.forward(randomTensor(new Rng(1), [2, 4, 4, 2]), params, trainContext(model.initState(), null, noMasks));
      const jv = model.jvp(cache, {});
      expect(jv.shape).toEqual(y.shape);
      expect(read(jv).every((v) => v === 0)).toBe(true);
      const grads = model.vjp(cache, tf.onesLike(y));
      expect(Object.keys(grads)).toEqual(model.params.map((p) => p.name));
      for (const p of model.params) expect(grads[p.name].shape).toEqual(p.shape);
    });
  });

  it('rejects a batch whose examples have the wrong shape', () => {
    tf.tidy(() => {
      const model = Model.fromSpec({ inputShape: [4], layers: [{ type: 'dense', units: 2 }] });
      expect(() => model.forward(tf.zeros([2, 5]), model.initParams(0, 'default'), evalContext({}))).toThrow(
        'the model takes examples of shape [4], but got a batch of shape [2, 5]',
      );
    });
  });
});

describe('Model tensor hygiene', () => {
  it('leaves no tensors behind after forward + jvp + vjp in a tidy (batch norm recording state, dropout)', () => {
    const model = Model.fromSpec({
      inputShape: [6, 6, 2],
      layers: [
        { type: 'conv2d', filters: 3, kernelSize: 3 },
        { type: 'batchNorm' },
        { type: 'relu' },
        { type: 'maxPool', poolSize: 3, strides: 2, padding: 'same' },
        { type: 'residual', layers: [{ type: 'conv2d', filters: 3, kernelSize: 3 }, { type: 'sigmoid' }] },
        { type: 'avgPool', poolSize: 2, padding: 'same' },
        { type: 'flatten' },
        { type: 'dropout', rate: 0.5 },
        { type: 'dense', units: 2 },
      ],
    });
    const params = model.initParams(3, 'default');
    const state = model.initState();
    const mask = tf.tensor2d([[1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1], [0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0]]);
    const x = randomTensor(new Rng(2), [2, 6, 6, 2]);
    const step = () =>
      tf.tidy(() => {
        const stateUpdates: ModelState = {};
        const { y, cache } = model.forward(x, params, trainContext(state, stateUpdates, () => mask));
        const direction = model.vjp(cache, tf.onesLike(y));
        model.jvp(cache, direction);
        expect(Object.keys(stateUpdates)).toHaveLength(2);
      });
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...Object.values(params), ...Object.values(state), mask, x]);
  });
});

describe('Model.initParams', () => {
  const spec: ModelSpec = {
    inputShape: [5, 5, 4],
    layers: [{ type: 'conv2d', filters: 8, kernelSize: 3 }, { type: 'batchNorm' }, { type: 'flatten' }, { type: 'dense', units: 30 }],
  };

  const values = (p: Params) => Object.fromEntries(Object.entries(p).map(([k, t]) => [k, Array.from(t.dataSync())]));

  it('gives the same weights for the same seed and different ones for another seed', () => {
    tf.tidy(() => {
      const model = Model.fromSpec(spec);
      const a = values(model.initParams(7, 'default'));
      expect(values(model.initParams(7, 'default'))).toEqual(a);
      const c = values(model.initParams(8, 'default'));
      expect(c['conv2d_0/kernel']).not.toEqual(a['conv2d_0/kernel']);
      expect(c['dense_3/kernel']).not.toEqual(a['dense_3/kernel']);
      // Different parameters of one model are not copies of each other's stream either.
      expect(a['dense_3/kernel'].slice(0, 10)).not.toEqual(a['conv2d_0/kernel'].slice(0, 10));
    });
  });

  it("draws a parameter's value from the seed and its name only", () => {
    tf.tidy(() => {
      const alone = Model.fromSpec({ inputShape: [3], layers: [{ type: 'dense', units: 4, name: 'first' }] });
      const behindAnother = Model.fromSpec({
        inputShape: [6],
        layers: [{ type: 'dense', units: 3, name: 'zeroth' }, { type: 'relu' }, { type: 'dense', units: 4, name: 'first' }],
      });
      // Same name and shape, same values, whatever else the model holds and in whichever position.
      const a = read(alone.initParams(5, 'default')['first/kernel']);
      expect(a.length).toBe(12);
      expect(read(behindAnother.initParams(5, 'default')['first/kernel'])).toEqual(a);
    });
  });

  it('keeps Glorot-uniform kernels within ±sqrt(6 / (fanIn + fanOut)), receptive field included, with zero biases and β, unit γ', () => {
    tf.tidy(() => {
      const model = Model.fromSpec(spec);
      const p = model.initParams(1, 'default');
      const check = (name: string, fanIn: number, fanOut: number) => {
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        const w = read(p[name]);
        const maxAbs = Math.max(...w.map(Math.abs));
        const mean = w.reduce((a, b) => a + b, 0) / w.length;
        const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
        expect(maxAbs).toBeLessThanOrEqual(limit);
        expect(maxAbs).toBeGreaterThan(0.9 * limit);
        expect(Math.abs(mean)).toBeLessThan(0.1 * limit);
        expect(variance / (limit * limit / 3)).toBeGreaterThan(0.85);
        expect(variance / (limit * limit / 3)).toBeLessThan(1.15);
      };
      check('conv2d_0/kernel', 3 * 3 * 4, 3 * 3 * 8);
      check('dense_3/kernel', 5 * 5 * 8, 30);
      expect(read(p['conv2d_0/bias']).every((v) => v === 0)).toBe(true);
      expect(read(p['dense_3/bias']).every((v) => v === 0)).toBe(true);
      expect(read(p['batchNorm_1/gamma']).every((v) => v === 1)).toBe(true);
      expect(read(p['batchNorm_1/beta']).every((v) => v === 0)).toBe(true);
    });
  });

  it("draws He-normal kernels, N(0, 2 / fanIn) with the receptive field counted, where a spec asks and everywhere with 'he'", () => {
    tf.tidy(() => {
      const moments = (w: Float64Array) => {
        const mean = w.reduce((a, b) => a + b, 0) / w.length;
        const m2 = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
        const m4 = w.reduce((a, b) => a + (b - mean) ** 4, 0) / w.length;
        return { mean, variance: m2, kurtosis: m4 / (m2 * m2) };
      };
      const heLayers = spec.layers.map((l): LayerSpec => (l.type === 'dense' ? { ...l, kernelInit: 'heNormal' } : l));
      const dense = read(Model.fromSpec({ ...spec, layers: heLayers }).initParams(1, 'default')['dense_3/kernel']);
      // fanIn 5·5·8 = 200: variance 2/200. A normal's kurtosis is 3 (a uniform's 1.8): with 6000 draws both
      // estimates sit within a few percent.
      const m = moments(dense);
      expect(Math.abs(m.mean)).toBeLessThan(0.05 * Math.sqrt(2 / 200));
      expect(m.variance / (2 / 200)).toBeGreaterThan(0.93);
      expect(m.variance / (2 / 200)).toBeLessThan(1.07);
      expect(m.kurtosis).toBeGreaterThan(2.7);
      expect(m.kurtosis).toBeLessThan(3.3);

      // The spec's conv kernel stays Glorot-uniform under 'default'; 'he' redraws every kernel He-normal
      // from the same per-name stream, and leaves biases, β and γ alone.
      const plain = Model.fromSpec(spec);
      const glorotConv = read(plain.initParams(1, 'default')['conv2d_0/kernel']);
      expect(Math.max(...glorotConv.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / (36 + 72)));
      const he = plain.initParams(1, 'he');
      expect(read(he['dense_3/kernel'])).toEqual(dense);
      const conv = moments(read(he['conv2d_0/kernel']));
      expect(conv.variance / (2 / 36)).toBeGreaterThan(0.8);
      expect(conv.variance / (2 / 36)).toBeLessThan(1.2);
      expect(read(he['conv2d_0/bias']).every((v) => v === 0)).toBe(true);
      expect(read(he['batchNorm_1/gamma']).every((v) => v === 1)).toBe(true);
      expect(read(he['batchNorm_1/beta']).every((v) => v === 0)).toBe(true);
    });
  });

  it("'zeros' zeroes every trainable tensor except batch-norm γ, which stays 1", () => {
    tf.tidy(() => {
      const p = Model.fromSpec(spec).initParams(1, 'zeros');
      for (const [name, t] of Object.entries(p)) {
        const expected = name === 'batchNorm_1/gamma' ? 1 : 0;
        expect(read(t).every((v) => v === expected)).toBe(true);
      }
    });
  });

  it('starts the running statistics at mean 0 and variance 1', () => {
    tf.tidy(() => {
      const state = Model.fromSpec(spec).initState();
      expect(Object.keys(state)).toEqual(['batchNorm_1/movingMean', 'batchNorm_1/movingVariance']);
      expect(read(state['batchNorm_1/movingMean'])).toEqual(new Float64Array(8));
      expect(read(state['batchNorm_1/movingVariance'])).toEqual(new Float64Array(8).fill(1));
    });
  });
});

describe('Model.describe and flopsPerExample', () => {
  it("counts BasicNet's parameters and forward cost on 32×32×3 input by hand", () => {
    const model = Model.fromSpec(buildPresetSpec('basic-cnn', {}, { inputShape: [32, 32, 3], outputSize: 10 }));
    const d = model.describe();
    // conv 5×5×3→32, 5×5×32→32, 5×5×32→64 (+ biases); dense 4·4·64→64; dense 64→10.
    const counts = [5 * 5 * 3 * 32 + 32, 5 * 5 * 32 * 32 + 32, 5 * 5 * 32 * 64 + 64, 1024 * 64 + 64, 64 * 10 + 10];
    expect(d.paramCount).toBe(counts.reduce((a, b) => a + b, 0));
    expect(d.layers.filter((l) => l.paramCount > 0).map((l) => l.paramCount)).toEqual(counts);
    expect(d.layers.map((l) => l.outputShape)).toContainEqual([4, 4, 64]);
    expect(model.outputShape).toEqual([10]);
    const flops = 2 * (75 * 32 * 32 * 32 + 800 * 32 * 16 * 16 + 800 * 64 * 8 * 8 + 1024 * 64 + 64 * 10);
    expect(model.flopsPerExample()).toBe(flops);
  });

  it('lists nested layers after their residual block, one level deeper', () => {
    const d = Model.fromSpec(residualSpec).describe();
    expect(d.layers.map((l) => [l.name, l.depth])).toEqual([
      ['conv2d_0', 0],
      ['tanh_1', 0],
      ['residual_2', 0],
      ['conv2d_3', 1],
      ['batchNorm_4', 1],
      ['relu_5', 1],
      ['conv2d_6', 1],
      ['globalAvgPool_7', 0],
      ['dense_8', 0],
    ]);
    const block = d.layers.find((l) => l.name === 'residual_2');
    expect(block?.paramCount).toBe(2 * (3 * 3 * 3 * 3 + 3) + 2 * 3);
  });

  it('reports spec errors as ModelSpecError', () => {
    expect(() => Model.fromSpec({ inputShape: [8, 8, 1], layers: [{ type: 'dense', units: 3 }] })).toThrow(ModelSpecError);
  });
});
