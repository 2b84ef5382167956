import { afterAll, expect, it } from 'vitest';
import { avgPoolGrad, conv2dBackpropFilter, conv2dBackpropInput, maxPoolGrad, maxPoolWithArgmax } from '../ops';
import { distinctValues, randomParams, randomTensor } from '../nn/derivativeChecks.testkit';
import { trainContext } from '../nn/layerContexts';
import type { ModelState } from '../nn/layer';
import { Model } from '../nn/model';
import type { ModelSpec, Padding } from '../../shared/modelSpec';
import { Rng } from '../rng';
import { tf } from '../tf';
import { disposeWebGpu } from './loadWebGpuBackend';
import { computeOn, describeWithWebGpu, maxRelativeError, setUpWebGpuForTests } from './webgpuTestSetup.testkit';

/**
 * The engine's derivative machinery on `webgpu` against the same computation on TF.js's `cpu` backend:
 * the backend kernels the layers call directly (ops/), then whole models — forward pass with
 * batch-norm statistics, JVP and VJP — from identical inputs. Float32 on both sides, summed in a
 * different order, so they agree to rounding: 1e-4 of each tensor's scale.
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

const TOLERANCE = 1e-4;

type Computation = () => Record<string, tf.Tensor>;

/**
 * Runs `compute` on both backends and compares every output. Outputs named "group part" are measured
 * against the scale of their whole group: the VJP is one vector over all parameters, and a parameter
 * whose true gradient is zero (a conv bias before batch-norm) holds only rounding noise on both sides.
 */
async function expectSameOnBothBackends(compute: Computation, tolerance = TOLERANCE): Promise<void> {
  const cpu = await computeOn('cpu', compute);
  const gpu = await computeOn('webgpu', compute);
  expect(Object.keys(gpu)).toEqual(Object.keys(cpu));
  const groupOf = (key: string) => key.split(' ')[0];
  const groupScale = new Map<string, number>();
  for (const [key, values] of Object.entries(cpu)) {
    let scale = 0;
    for (const v of values) scale = Math.max(scale, Math.abs(v));
    groupScale.set(groupOf(key), Math.max(groupScale.get(groupOf(key)) ?? 0, scale));
  }
  for (const key of Object.keys(cpu)) {
    const error = maxRelativeError(gpu[key], cpu[key], groupScale.get(groupOf(key)));
    expect(error, `${key}: max error ${error} of its scale`).toBeLessThan(tolerance);
  }
}

const geometries: { shape: [number, number, number, number]; window: [number, number]; strides: [number, number]; pad: Padding }[] = [
  { shape: [2, 5, 5, 2], window: [3, 3], strides: [2, 2], pad: 'same' },
  { shape: [2, 6, 5, 2], window: [3, 2], strides: [2, 1], pad: 'same' },
  { shape: [1, 5, 6, 3], window: [2, 3], strides: [1, 2], pad: 'valid' },
];

describeWithWebGpu('webgpu kernels against cpu (ops/)', setup, () => {
  for (const g of geometries) {
    const label = `${g.shape.join('×')}, ${g.window.join('×')} window, stride ${g.strides.join('×')}, ${g.pad}`;

    it(`Conv2DBackpropInput and Conv2DBackpropFilter (${label})`, async () => {
      await expectSameOnBothBackends(() => {
        const rng = new Rng(1);
        const x = randomTensor(rng, g.shape);
        const filterShape: [number, number, number, number] = [g.window[0], g.window[1], g.shape[3], 3];
        const filter = randomTensor(rng, filterShape);
        const dy = randomTensor(rng, tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, g.strides, g.pad).shape);
        return {
          dx: conv2dBackpropInput(dy, filter, g.shape, g.strides, g.pad),
          dFilter: conv2dBackpropFilter(x, dy, filterShape, g.strides, g.pad),
        };
      });
    });

    it(`MaxPoolGrad, AvgPoolGrad and MaxPoolWithArgmax (${label})`, async () => {
      await expectSameOnBothBackends(() => {
        const rng = new Rng(2);
        // Distinct values: no ties, so both backends must pick the same maximum.
        const x = distinctValues(rng, g.shape);
        const { output, argmax } = maxPoolWithArgmax(x, g.window, g.strides, g.pad);
        const dy = randomTensor(rng, output.shape);
        return {
          maxPool: output,
          argmax,
          maxPoolGrad: maxPoolGrad(dy, { input: x, output }, g.window, g.strides, g.pad),
          maxPoolGradAtArgmax: maxPoolGrad(dy, { input: x, output, argmax }, g.window, g.strides, g.pad),
          avgPoolGrad: avgPoolGrad(dy, x, g.window, g.strides, g.pad),
        };
      });
      // The argmax indices (at most a few hundred here) pass 1e-4 of their scale only if they agree exactly.
    });
  }
});

const mlp: ModelSpec = {
  inputShape: [5],
  layers: [
    { type: 'dense', units: 7 },
    { type: 'relu' },
    { type: 'dropout', rate: 0.3 },
    { type: 'dense', units: 6 },
    { type: 'tanh' },
    { type: 'dense', units: 4 },
    { type: 'sigmoid' },
    { type: 'dense', units: 3 },
  ],
};

/** conv (stride 2, same) → batch-norm → ReLU → max-pool (3, stride 2, same) → conv (valid) → avg-pool (same) → dense. */
const cnn: ModelSpec = {
  inputShape: [9, 9, 2],
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'maxPool', poolSize: 3, strides: 2, padding: 'same' },
    { type: 'conv2d', filters: 3, kernelSize: 2, padding: 'valid' },
    { type: 'avgPool', poolSize: 2, strides: 1, padding: 'same' },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
};

/** Forward (train mode, with batch-norm state updates), J·v for a random direction and Jᵀ·u for a random u. */
function modelDerivatives(spec: ModelSpec, batch: number): Computation {
  return () => {
    const model = Model.fromSpec(spec);
    const rng = new Rng(7);
    const params = randomParams(rng, model.params);
    const direction = randomParams(rng, model.params);
    const x = randomTensor(rng, [batch, ...model.inputShape]);
    const u = randomTensor(rng, [batch, ...model.outputShape]);
    const masks = new Map<string, tf.Tensor>();
    const maskRng = new Rng(11);
    const dropoutMask = (name: string, shape: number[], rate: number): tf.Tensor => {
      if (!masks.has(name)) {
        const keep = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (maskRng.uniform() >= rate ? 1 : 0));
        masks.set(name, tf.tensor(keep, shape));
      }
      return masks.get(name)!;
    };
    const stateUpdates: ModelState = {};
    const { y, cache } = model.forward(x, params, trainContext(model.initState(), stateUpdates, dropoutMask));
    const out: Record<string, tf.Tensor> = { y, jvp: model.jvp(cache, direction) };
    for (const [name, g] of Object.entries(model.vjp(cache, u))) out[`vjp ${name}`] = g;
    for (const [name, s] of Object.entries(stateUpdates)) out[`state ${name}`] = s;
    return out;
  };
}

describeWithWebGpu('a model on webgpu against cpu: forward, JVP, VJP', setup, () => {
  it('mlp (dense, ReLU, dropout, tanh, sigmoid)', async () => {
    await expectSameOnBothBackends(modelDerivatives(mlp, 6));
  });

  it('cnn (conv, batch-norm, ReLU, max-pool, avg-pool, dense)', async () => {
    const outputs = await computeOn('webgpu', modelDerivatives(cnn, 4));
    // Every parameter gets a cotangent and batch-norm reports its running statistics.
    expect(Object.keys(outputs).filter((k) => k.startsWith('vjp')).length).toBe(Model.fromSpec(cnn).params.length);
    expect(Object.keys(outputs).some((k) => k.startsWith('state'))).toBe(true);
    await expectSameOnBothBackends(modelDerivatives(cnn, 4));
  });

  it('leaves no tensors behind on webgpu', async () => {
    await tf.setBackend('webgpu');
    const before = tf.memory().numTensors;
    await computeOn('webgpu', modelDerivatives(cnn, 4));
    expect(tf.memory().numTensors).toBe(before);
  });
});
