import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { tf } from '../tf';
import { gradientErrorAgainstAutodiff } from './autodiffReference.testkit';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors, randomParams, randomTensor, read } from './derivativeChecks.testkit';
import { evalContext, trainContext } from './layerContexts';
import { Model, validateModelSpec } from './model';
import type { LayerSpec } from '../../shared/modelSpec';

const body: LayerSpec[] = [
  { type: 'conv2d', filters: 2, kernelSize: 3 },
  { type: 'tanh' },
  { type: 'conv2d', filters: 2, kernelSize: 3 },
];

describe('residual', () => {
  it('adds the body to its input and names nested layers with the global counter', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [3, 3, 2], layers: [{ type: 'relu' }, { type: 'residual', layers: body }, { type: 'flatten' }] });
      expect(net.params.map((p) => p.name)).toEqual(['conv2d_2/kernel', 'conv2d_2/bias', 'conv2d_4/kernel', 'conv2d_4/bias']);
      expect(net.layers.map((l) => l.name)).toEqual(['relu_0', 'residual_1', 'flatten_5']);
      const inner = buildNetwork({ inputShape: [3, 3, 2], layers: body });
      const rng = new Rng(1);
      const x = randomTensor(rng, [1, 3, 3, 2]);
      const params = randomParams(rng, net.params);
      const innerParams = {
        'conv2d_0/kernel': params['conv2d_2/kernel'],
        'conv2d_0/bias': params['conv2d_2/bias'],
        'conv2d_2/kernel': params['conv2d_4/kernel'],
        'conv2d_2/bias': params['conv2d_4/bias'],
      };
      const y = read(net.forward(x, params, evalContext({})).y);
      const h = tf.relu(x);
      const expected = read(tf.reshape(tf.add(h, inner.forward(h, innerParams, evalContext({})).y), [1, -1]));
      y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    });
  });

  it('has a JVP that matches finite differences and a VJP adjoint to it', () => {
    const errors = layerDerivativeErrors({ inputShape: [4, 4, 2], layers: [{ type: 'residual', layers: body }], batch: 2 });
    expect(errors.jvpNorm).toBeGreaterThan(0.1);
    expect(errors.finiteDifference).toBeLessThan(1e-2);
    expect(errors.adjoint).toBeLessThan(1e-5);
  });

  it('rejects a body that changes the shape, naming the block', () => {
    expect(() =>
      buildNetwork({ inputShape: [4, 4, 2], layers: [{ type: 'residual', layers: [{ type: 'conv2d', filters: 3, kernelSize: 3 }] }] }),
    ).toThrow(`layer 1 (residual "residual_0"): layers map the input shape [4, 4, 2] to [4, 4, 3]; a residual body must keep the shape of its input`);
  });
});

/** A downsampling block as ResNet writes it: strided body, strided 1×1 conv + batch norm on the shortcut. */
const downsampling: LayerSpec = {
  type: 'residual',
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3, strides: 2 },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'conv2d', filters: 3, kernelSize: 3 },
  ],
  shortcut: [{ type: 'conv2d', filters: 3, kernelSize: 1, strides: 2, useBias: false }, { type: 'batchNorm' }],
};

describe('residual with a shortcut', () => {
  const noMasks = () => {
    throw new Error('no dropout here');
  };

  it('adds the body and the shortcut, each run alone on the input, and numbers the body before the shortcut', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [5, 5, 2], layers: [downsampling, { type: 'flatten' }] });
      expect(net.layers.map((l) => l.name)).toEqual(['residual_0', 'flatten_7']);
      expect(net.params.map((p) => p.name)).toEqual([
        'conv2d_1/kernel', 'conv2d_1/bias', 'batchNorm_2/gamma', 'batchNorm_2/beta', 'conv2d_4/kernel', 'conv2d_4/bias',
        'conv2d_5/kernel', 'batchNorm_6/gamma', 'batchNorm_6/beta',
      ]);
      const rng = new Rng(3);
      const x = randomTensor(rng, [2, 5, 5, 2]);
      const params = randomParams(rng, net.params);
      const ctx = trainContext({}, null, noMasks);
      const y = read(net.forward(x, params, ctx).y);

      const spec = downsampling as Extract<LayerSpec, { type: 'residual' }>;
      const body = buildNetwork({ inputShape: [5, 5, 2], layers: spec.layers });
      const shortcut = buildNetwork({ inputShape: [5, 5, 2], layers: spec.shortcut! });
      const rename = (names: Record<string, string>) => Object.fromEntries(Object.entries(names).map(([mine, theirs]) => [mine, params[theirs]]));
      const bodyParams = rename({
        'conv2d_0/kernel': 'conv2d_1/kernel', 'conv2d_0/bias': 'conv2d_1/bias', 'batchNorm_1/gamma': 'batchNorm_2/gamma',
        'batchNorm_1/beta': 'batchNorm_2/beta', 'conv2d_3/kernel': 'conv2d_4/kernel', 'conv2d_3/bias': 'conv2d_4/bias',
      });
      const shortcutParams = rename({ 'conv2d_0/kernel': 'conv2d_5/kernel', 'batchNorm_1/gamma': 'batchNorm_6/gamma', 'batchNorm_1/beta': 'batchNorm_6/beta' });
      const expected = read(tf.add(body.forward(x, bodyParams, ctx).y, shortcut.forward(x, shortcutParams, ctx).y));
      expect(y.length).toBe(2 * 3 * 3 * 3);
      y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    });
  });

  it('has a JVP that matches finite differences and a VJP adjoint to it, through both paths', () => {
    const errors = layerDerivativeErrors({ inputShape: [6, 6, 2], layers: [downsampling, { type: 'tanh' }], batch: 2, eps: 1e-3, context: () => trainContext({}, null, noMasks) });
    expect(errors.jvpNorm).toBeGreaterThan(0.1);
    expect(errors.finiteDifference).toBeLessThan(1e-2);
    expect(errors.adjoint).toBeLessThan(1e-5);
  });

  it('has a gradient that matches TF.js autodiff of the forward pass, input cotangent included', () => {
    const context = () => trainContext({}, null, noMasks);
    expect(gradientErrorAgainstAutodiff({ inputShape: [6, 6, 2], layers: [{ type: 'tanh' }, downsampling], batch: 2, context })).toBeLessThan(1e-4);
  });

  it('lists the shortcut after the body in Model.describe, marked as the shortcut', () => {
    const rows = Model.fromSpec({ inputShape: [6, 6, 2], layers: [downsampling, { type: 'relu' }] }).describe().layers;
    expect(rows.map((r) => [r.name, r.depth, r.shortcut ?? false, r.paramCount])).toEqual([
      ['residual_0', 0, false, 2 * 9 * 3 + 3 + 6 + 3 * 9 * 3 + 3 + 2 * 3 + 6],
      ['conv2d_1', 1, false, 2 * 9 * 3 + 3],
      ['batchNorm_2', 1, false, 6],
      ['relu_3', 1, false, 0],
      ['conv2d_4', 1, false, 3 * 9 * 3 + 3],
      ['conv2d_5', 1, true, 2 * 3],
      ['batchNorm_6', 1, true, 6],
      ['relu_7', 0, false, 0],
    ]);
  });

  it('rejects paths whose shapes differ, naming the block and both shapes', () => {
    const mismatched: LayerSpec = { ...downsampling, shortcut: [{ type: 'conv2d', filters: 3, kernelSize: 1 }] };
    expect(() => buildNetwork({ inputShape: [6, 6, 2], layers: [{ type: 'relu' }, mismatched] })).toThrow(
      'layer 2 (residual "residual_1"): the body (layers) maps the input shape [6, 6, 2] to [3, 3, 3] but the shortcut maps it to [6, 6, 3]; ' +
        'both paths must give the same shape',
    );
    expect(() => buildNetwork({ inputShape: [6, 6, 2], layers: [{ ...downsampling, shortcut: [{ type: 'dense', units: 2 }] }] })).toThrow(
      'layer 1 › shortcut layer 1 (dense "dense_5"): input shape [6, 6, 2] is not flat',
    );
  });

  it('validates the shortcut like the body: a non-empty list of layer specs with unique names', () => {
    expect(() => validateModelSpec({ inputShape: [4], layers: [{ type: 'residual', layers: [{ type: 'relu' }], shortcut: [] }] })).toThrow(
      'layer 1 (residual): shortcut: expected a non-empty array of layer specs, got []',
    );
    expect(() =>
      validateModelSpec({ inputShape: [4], layers: [{ type: 'residual', layers: [{ type: 'relu', name: 'a' }], shortcut: [{ type: 'tanh', name: 'a' }] }] }),
    ).toThrow('layer 1 › shortcut layer 1 (tanh): name: the name "a" is already used by layer 1 › layer 1; layer names must be unique');
    // An automatic name inside the shortcut that another layer took explicitly is caught as in the body.
    expect(() => Model.fromSpec({ inputShape: [4], layers: [{ type: 'residual', layers: [{ type: 'relu', name: 'tanh_2' }], shortcut: [{ type: 'tanh' }] }] })).toThrow(
      'layer 1 › shortcut layer 1: its automatic name "tanh_2" is another layer\'s name',
    );
  });
});
