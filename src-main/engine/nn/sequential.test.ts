// tf.grads below needs TF.js's gradients, which tfjs-core does not register by itself.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it, vi } from 'vitest';
import { describeNative, useBackend } from '../native/nativeBackend.testkit';
import { Rng } from '../rng';
import { tf } from '../tf';
import { Conv2dLayer } from './conv2d';
import { DenseLayer } from './dense';
import type { NetworkOptions } from './buildNetwork';
import { randomParams, randomTensor } from './derivativeChecks.testkit';
import { evalContext, Model, trainContext } from './model';
import type { ModelSpec } from '../../shared/modelSpec';

const spec: ModelSpec = {
  inputShape: [6, 5, 2],
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 7 },
    { type: 'relu' },
    { type: 'dense', units: 4 },
    { type: 'tanh' },
  ],
};

/** The same network written out in TF.js ops, layer by layer. */
function reference(x: tf.Tensor, p: Record<string, tf.Tensor>): tf.Tensor {
  const conv = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, p['conv2d_0/kernel'] as tf.Tensor4D, 1, 'same'), p['conv2d_0/bias']));
  const flat = tf.reshape(conv, [x.shape[0], -1]);
  const hidden = tf.relu(tf.add(tf.matMul(flat as tf.Tensor2D, p['dense_3/kernel'] as tf.Tensor2D), p['dense_3/bias']));
  return tf.tanh(tf.add(tf.matMul(hidden as tf.Tensor2D, p['dense_5/kernel'] as tf.Tensor2D), p['dense_5/bias']));
}

// A dense or conv layer followed by a ReLU runs as one fused kernel (buildNetwork pairs them): the output
// and the derivatives must be those of the two layers one after the other.
function fusionSuite(backend: string): void {
  useBackend(backend);

  it('fuses each conv/dense + relu pair and computes the same outputs as the layers one by one', () => {
    const model = Model.fromSpec(spec);
    const convFused = vi.spyOn(Conv2dLayer.prototype, 'forwardThenRelu');
    const denseFused = vi.spyOn(DenseLayer.prototype, 'forwardThenRelu');
    try {
      tf.tidy(() => {
        const rng = new Rng(4);
        const params = randomParams(rng, model.params);
        const x = randomTensor(rng, [3, 6, 5, 2]);
        const expected = Array.from(reference(x, params).dataSync());
        for (const ctx of [evalContext({}), trainContext({}, null, () => tf.ones([1]))]) {
          const got = Array.from(model.forward(x, params, ctx).y.dataSync());
          got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
        }
      });
      expect(convFused).toHaveBeenCalledTimes(2);
      // dense_3 is followed by relu; dense_5 by tanh, which is not fused.
      expect(denseFused).toHaveBeenCalledTimes(2);
    } finally {
      convFused.mockRestore();
      denseFused.mockRestore();
    }
  });

  it('gives the gradient of the same network written out in TF.js ops (autodiff)', () => {
    const model = Model.fromSpec(spec);
    tf.tidy(() => {
      const rng = new Rng(5);
      const params = randomParams(rng, model.params);
      const x = randomTensor(rng, [2, 6, 5, 2]);
      const dy = randomTensor(rng, [2, 4]);
      const { cache } = model.forward(x, params, trainContext({}, null, () => tf.ones([1])));
      const ours = model.vjp(cache, dy);
      const names = Object.keys(params);
      const autodiff = tf.grads((...ws: tf.Tensor[]) => tf.sum(tf.mul(reference(x, Object.fromEntries(names.map((n, i) => [n, ws[i]]))), dy)))(
        names.map((n) => params[n]),
      );
      names.forEach((name, i) => {
        const a = ours[name].dataSync();
        const b = autodiff[i].dataSync();
        b.forEach((v, k) => expect(a[k], `${name}[${k}]`).toBeCloseTo(v, 4));
      });
    });
  });
}

describe('Sequential layer fusion on cpu', () => fusionSuite('cpu'));
describeNative('Sequential layer fusion on cpu-blas', () => fusionSuite('cpu-blas'));

/** JVP and VJP values of `spec` at fixed random values, on one backend. */
async function derivatives(backend: string, options: Partial<NetworkOptions>): Promise<{ jvp: Float32Array; vjp: Float32Array[] }> {
  const model = Model.fromSpec(spec, options);
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const rng = new Rng(6);
    const params = randomParams(rng, model.params);
    const direction = randomParams(rng, model.params);
    const x = randomTensor(rng, [3, 6, 5, 2]);
    const dy = randomTensor(rng, [3, 4]);
    const { cache } = model.forward(x, params, trainContext({}, null, () => tf.ones([1])));
    const grads = model.vjp(cache, dy);
    return { jvp: model.jvp(cache, direction).dataSync() as Float32Array, vjp: Object.values(grads).map((g) => g.dataSync() as Float32Array) };
  });
}

describeNative('Sequential: ReLU derivatives fused into dense products on cpu-blas', () => {
  it('gives the JVP and VJP that the unfused layers give on cpu', async () => {
    const previous = tf.getBackend();
    const cpu = await derivatives('cpu', { fuseRelu: false, reluDerivativeKernels: false });
    const jvpFused = vi.spyOn(DenseLayer.prototype, 'jvpThenRelu');
    // The input-cotangent product, given the ReLU output whose derivative it multiplies by (or null).
    const vjpFused = vi.spyOn(DenseLayer.prototype as unknown as { inputCotangent: (...args: unknown[]) => tf.Tensor }, 'inputCotangent');
    try {
      const native = await derivatives('cpu-blas', { reluDerivativeKernels: true });
      // dense_3's JVP takes relu_4's derivative; dense_5's VJP takes relu_4's; conv layers are not fused.
      expect(jvpFused).toHaveBeenCalledTimes(1);
      expect(vjpFused.mock.calls.filter((args) => args[2] !== null)).toHaveLength(1);
      native.jvp.forEach((v, i) => expect(v, `jvp[${i}]`).toBeCloseTo(cpu.jvp[i], 4));
      native.vjp.forEach((g, k) => g.forEach((v, i) => expect(v, `vjp ${k}[${i}]`).toBeCloseTo(cpu.vjp[k][i], 4)));
    } finally {
      jvpFused.mockRestore();
      vjpFused.mockRestore();
      await tf.setBackend(previous);
    }
  });
});
