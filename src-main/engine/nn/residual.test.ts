import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { tf } from '../tf';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors, randomParams, randomTensor, read } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';
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
    ).toThrow(`layers[0] (residual "residual_0"): layers map the input shape [4, 4, 2] to [4, 4, 3]; a residual body must keep the shape of its input`);
  });
});
