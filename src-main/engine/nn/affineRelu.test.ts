import { describe, expect, it } from 'vitest';
import { describeNative, useBackend } from '../native/nativeBackend.testkit';
import type { Params } from '../params';
import { Rng } from '../rng';
import { tf, tidyValue } from '../tf';
import { ActivationLayer } from './activation';
import { AffineReluLayer } from './affineRelu';
import { buildNetwork, type NetworkOptions } from './buildNetwork';
import { DenseLayer } from './dense';
import { dot, layerDerivativeErrors, randomParams, randomTensor, read, trainWithoutMasks, type LayerCase } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';
import { Model } from './model';
import type { ModelSpec } from '../../shared/modelSpec';

/**
 * [dense|conv2d, relu] pairs fused into one layer, and a ReLU's reverse-mode multiply moved into the dense or
 * conv2d layer after it: every layout buildNetwork can choose must have the derivatives of the network the
 * spec describes, on cpu-blas (whose fused kernels run) and on plain cpu (where the same ops fall back).
 */
const layouts: Partial<NetworkOptions>[] = [
  { fuseRelu: true, reluDerivativeKernels: true },
  { fuseRelu: true, reluDerivativeKernels: false },
  { fuseRelu: false, reluDerivativeKernels: true },
  { fuseRelu: false, reluDerivativeKernels: false },
];

const stacks: Omit<LayerCase, 'options'>[] = [
  { inputShape: [5], layers: [{ type: 'dense', units: 4 }, { type: 'relu' }], batch: 3 },
  { inputShape: [4, 4, 2], layers: [{ type: 'conv2d', filters: 3, kernelSize: 3 }, { type: 'relu' }], batch: 2 },
  { inputShape: [5], layers: [{ type: 'dense', units: 4 }, { type: 'relu' }, { type: 'dense', units: 3 }, { type: 'relu' }, { type: 'dense', units: 2 }], batch: 3 },
  { inputShape: [4, 4, 2], layers: [{ type: 'conv2d', filters: 3, kernelSize: 3 }, { type: 'relu' }, { type: 'conv2d', filters: 2, kernelSize: 2 }], batch: 2 },
  // A ReLU of its own at the input, leaving its multiply to the dense layer after it.
  { inputShape: [5], layers: [{ type: 'relu' }, { type: 'dense', units: 3 }], batch: 3 },
];

const label = (c: Omit<LayerCase, 'options'>, o: Partial<NetworkOptions>) =>
  `${c.layers.map((l) => l.type).join(', ')} (fuseRelu ${o.fuseRelu}, reluDerivativeKernels ${o.reluDerivativeKernels})`;

/** Two pairs to fuse, and a ReLU after tanh that stays on its own. */
const spec: ModelSpec = {
  inputShape: [5, 4, 2],
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3 }, { type: 'relu' }, { type: 'flatten' },
    { type: 'dense', units: 6 }, { type: 'relu' }, { type: 'dense', units: 4 }, { type: 'tanh' }, { type: 'relu' },
  ],
};

/** Output, JVP in a parameter direction and VJP (parameter and input cotangents) of `spec` in one layout. */
function passes(options: Partial<NetworkOptions>): Record<string, Float64Array> {
  return tidyValue(() => {
    const net = buildNetwork(spec, options);
    const rng = new Rng(3);
    const params = randomParams(rng, net.params);
    const direction = randomParams(rng, net.params);
    const x = randomTensor(rng, [3, ...spec.inputShape]);
    const { y, cache } = net.forward(x, params, trainWithoutMasks());
    const u = randomTensor(rng, y.shape);
    const grads: Params = {};
    const dx = net.vjp(cache, u, grads, true)!;
    const out: Record<string, Float64Array> = { y: read(y), jvp: read(net.jvp(cache, null, direction)!), dx: read(dx) };
    for (const p of net.params) out[p.name] = read(grads[p.name]);
    return out;
  });
}

function layoutSuite(backend: string): void {
  useBackend(backend);

  for (const c of stacks) {
    for (const options of layouts) {
      it(`${label(c, options)}: the JVP matches finite differences and the VJP is its adjoint`, () => {
        // A small step: the conv stack has a pre-activation within 1e-3 of the ReLU's kink.
        const errors = layerDerivativeErrors({ ...c, options, eps: 3e-4 });
        expect(errors.jvpNorm).toBeGreaterThan(0.1);
        expect(errors.finiteDifference).toBeLessThan(1e-2);
        expect(errors.adjoint).toBeLessThan(1e-5);
      });
    }
  }

  it('fuseRelu pairs each dense or conv2d layer with the ReLU after it; without it the layers stay as listed', () => {
    const fused = buildNetwork(spec, { fuseRelu: true });
    const plain = buildNetwork(spec, { fuseRelu: false });
    expect(fused.layers.map((l) => l.name)).toEqual(['conv2d_0+relu_1', 'flatten_2', 'dense_3+relu_4', 'dense_5', 'tanh_6', 'relu_7']);
    expect(fused.layers.map((l) => l instanceof AffineReluLayer)).toEqual([true, false, true, false, false, false]);
    expect(plain.layers.map((l) => l.name)).toEqual(['conv2d_0', 'relu_1', 'flatten_2', 'dense_3', 'relu_4', 'dense_5', 'tanh_6', 'relu_7']);
    expect(fused.params).toEqual(plain.params);
    expect(fused.flopsPerExample).toBe(plain.flopsPerExample);
    expect(Model.fromSpec(spec, { fuseRelu: true }).describe()).toEqual(Model.fromSpec(spec, { fuseRelu: false }).describe());
  });

  for (const reluDerivativeKernels of [true, false]) {
    it(`fused and plain layers give the same outputs, JVPs and VJPs (reluDerivativeKernels ${reluDerivativeKernels})`, () => {
      const fused = passes({ fuseRelu: true, reluDerivativeKernels });
      const plain = passes({ fuseRelu: false, reluDerivativeKernels: false });
      expect(Object.keys(fused)).toEqual(Object.keys(plain));
      for (const [key, values] of Object.entries(plain)) {
        const scale = Math.max(...values.map(Math.abs));
        fused[key].forEach((v, i) => expect(Math.abs(v - values[i]), `${key}[${i}]`).toBeLessThanOrEqual(1e-5 * scale));
      }
    });
  }

  it('a ReLU leaves its reverse-mode multiply to the dense layer after it only with reluDerivativeKernels', () => {
    tf.tidy(() => {
      const rng = new Rng(5);
      const x = randomTensor(rng, [4, 5]);
      const kernel = randomTensor(rng, [5, 3]);
      const u = randomTensor(rng, [4, 3]);
      const reluOutput = tf.relu(x);
      // The ReLU's input cotangent, written out: step(relu(x)) ⊙ (u·Wᵀ).
      const expected = read(tf.mul(tf.step(reluOutput), tf.matMul(u, kernel, false, true)));
      for (const reluDerivativeKernels of [true, false]) {
        const net = buildNetwork({ inputShape: [5], layers: [{ type: 'relu' }, { type: 'dense', units: 3, useBias: false }] }, { reluDerivativeKernels });
        const [relu, dense] = net.layers;
        expect(relu).toBeInstanceOf(ActivationLayer);
        expect(dense).toBeInstanceOf(DenseLayer);
        const { cache } = net.forward(x, { 'dense_1/kernel': kernel }, trainWithoutMasks());
        const seq = cache as unknown[];
        const dy = dense.vjp(seq[1], u, {}, true)!;
        const back = relu.vjp(seq[0], dy, {}, true)!;
        // With the kernels, the dense layer's cotangent is already the ReLU's input cotangent and the ReLU
        // passes it through; without, the dense layer returns u·Wᵀ and the ReLU multiplies.
        const denseExpected = reluDerivativeKernels ? expected : read(tf.matMul(u, kernel, false, true));
        read(dy).forEach((v, i) => expect(v, `dense dx[${i}]`).toBeCloseTo(denseExpected[i], 5));
        read(back).forEach((v, i) => expect(v, `relu dx[${i}]`).toBeCloseTo(expected[i], 5));
        // The moved multiply is exact for the tangents a ReLU produces: <u, J·(step ⊙ v)> = <Jᵀu, step ⊙ v>.
        const v = tf.mul(tf.step(reluOutput), randomTensor(rng, [4, 5]));
        expect(dot(u, tf.matMul(v, kernel))).toBeCloseTo(dot(dy, v), 4);
      }
    });
  });

  it('describes a fused pair as its two layers, nested too, and runs it in eval mode', () => {
    tf.tidy(() => {
      const model = Model.fromSpec({ inputShape: [3], layers: [{ type: 'dense', units: 2 }, { type: 'relu' }] }, { fuseRelu: true });
      expect(model.describe().layers.map((l) => [l.name, l.type, l.paramCount])).toEqual([
        ['dense_0', 'dense', 8],
        ['relu_1', 'relu', 0],
      ]);
      const params = { 'dense_0/kernel': tf.tensor2d([[1, -1], [2, 0], [0, 1]]), 'dense_0/bias': tf.tensor1d([0.5, -4]) };
      const { y } = model.forward(tf.tensor2d([[1, 1, 1]]), params, evalContext({}));
      expect(Array.from(y.dataSync())).toEqual([3.5, 0]);
      const residual = Model.fromSpec({ inputShape: [3, 3, 2], layers: [{ type: 'residual', layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'relu' }] }] });
      expect(residual.describe().layers.map((l) => [l.name, l.depth])).toEqual([
        ['residual_0', 0],
        ['conv2d_1', 1],
        ['relu_2', 1],
      ]);
    });
  });
}

describe('fused ReLU pairs and moved ReLU derivatives on cpu', () => layoutSuite('cpu'));
describeNative('fused ReLU pairs and moved ReLU derivatives on cpu-blas', () => layoutSuite('cpu-blas'));
