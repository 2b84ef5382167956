import { describe, expect, it } from 'vitest';
import { ModelSpecError } from '../errors';
import { tf } from '../tf';
import { gradientErrorAgainstAutodiff } from './autodiffReference.testkit';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';
import type { Conv2dSpec } from '../../shared/modelSpec';

const geometries: { name: string; inputShape: number[]; spec: Conv2dSpec; outputShape: number[] }[] = [
  { name: 'stride 1, same', inputShape: [5, 5, 2], spec: { type: 'conv2d', filters: 3, kernelSize: 3 }, outputShape: [5, 5, 3] },
  {
    name: 'stride 1, valid',
    inputShape: [5, 5, 2],
    spec: { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'valid' },
    outputShape: [3, 3, 3],
  },
  {
    // An even input with stride 2 and 'same' pads unevenly (more at the bottom/right).
    name: 'stride 2, same',
    inputShape: [6, 6, 2],
    spec: { type: 'conv2d', filters: 3, kernelSize: 3, strides: 2, padding: 'same' },
    outputShape: [3, 3, 3],
  },
  {
    name: 'stride 2, valid, non-square kernel',
    inputShape: [7, 6, 2],
    spec: { type: 'conv2d', filters: 2, kernelSize: [3, 2], strides: 2, padding: 'valid' },
    outputShape: [3, 3, 2],
  },
];

describe('conv2d', () => {
  it('convolves as a hand-computed 1-channel example says', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [3, 3, 1], layers: [{ type: 'conv2d', filters: 1, kernelSize: 2, padding: 'valid' }] });
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      const params = { 'conv2d_0/kernel': tf.tensor4d([1, 0, 0, -1], [2, 2, 1, 1]), 'conv2d_0/bias': tf.tensor1d([0.5]) };
      // Each output is x[i][j] − x[i+1][j+1] + 0.5 = −4 + 0.5.
      expect(Array.from(net.forward(x, params, evalContext({})).y.dataSync())).toEqual([-3.5, -3.5, -3.5, -3.5]);
    });
  });

  for (const g of geometries) {
    it(`has the right output shape, JVP and VJP (${g.name})`, () => {
      const net = buildNetwork({ inputShape: g.inputShape, layers: [g.spec] });
      expect(net.outputShape).toEqual(g.outputShape);
      const errors = layerDerivativeErrors({ inputShape: g.inputShape, layers: [g.spec], batch: 2 });
      expect(errors.jvpNorm).toBeGreaterThan(0.1);
      expect(errors.finiteDifference).toBeLessThan(1e-2);
      expect(errors.adjoint).toBeLessThan(1e-5);
    });
  }

  it('has the gradient TF.js autodiff computes (stride 2, same)', () => {
    expect(gradientErrorAgainstAutodiff({ inputShape: geometries[2].inputShape, layers: [geometries[2].spec], batch: 2 })).toBeLessThan(1e-5);
  });

  it('rejects a kernel larger than its input with valid padding, naming the layer and field', () => {
    const build = () =>
      buildNetwork({ inputShape: [5, 5, 1], layers: [{ type: 'relu' }, { type: 'conv2d', filters: 1, kernelSize: 7, padding: 'valid' }] });
    expect(build).toThrow(ModelSpecError);
    expect(build).toThrow(`layer 2 (conv2d "conv2d_1"): kernelSize 7 is larger than the 5×5 input with padding 'valid'`);
  });

  it('rejects flat input', () => {
    expect(() => buildNetwork({ inputShape: [10], layers: [{ type: 'conv2d', filters: 1, kernelSize: 3 }] })).toThrow(
      /layer 1 \(conv2d "conv2d_0"\): input shape \[10\] is not an image/,
    );
  });
});
