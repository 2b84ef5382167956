import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { gradientErrorAgainstAutodiff } from './autodiffReference.testkit';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';

describe('dense', () => {
  it('computes x·W + b', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [2], layers: [{ type: 'dense', units: 2 }] });
      const params = { 'dense_0/kernel': tf.tensor2d([[1, 2], [3, 4]]), 'dense_0/bias': tf.tensor1d([10, 20]) };
      const { y } = net.forward(tf.tensor2d([[1, 1], [2, -1]]), params, evalContext({}));
      expect(Array.from(y.dataSync())).toEqual([14, 26, 9, 20]);
    });
  });

  it('has a JVP that matches finite differences and a VJP adjoint to it', () => {
    const errors = layerDerivativeErrors({ inputShape: [4], layers: [{ type: 'dense', units: 3 }], batch: 3 });
    expect(errors.jvpNorm).toBeGreaterThan(0.1);
    expect(errors.finiteDifference).toBeLessThan(1e-2);
    expect(errors.adjoint).toBeLessThan(1e-5);
  });

  it('works without a bias', () => {
    const errors = layerDerivativeErrors({ inputShape: [4], layers: [{ type: 'dense', units: 3, useBias: false }], batch: 2 });
    expect(errors.finiteDifference).toBeLessThan(1e-2);
    expect(errors.adjoint).toBeLessThan(1e-5);
  });

  it('has the gradient TF.js autodiff computes', () => {
    expect(gradientErrorAgainstAutodiff({ inputShape: [4], layers: [{ type: 'dense', units: 3 }], batch: 3 })).toBeLessThan(1e-5);
  });
});
