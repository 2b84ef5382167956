import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';

describe('globalAvgPool', () => {
  it('averages each channel over height and width', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [2, 2, 2], layers: [{ type: 'globalAvgPool' }] });
      expect(net.outputShape).toEqual([2]);
      const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
      expect(Array.from(net.forward(x, {}, evalContext({})).y.dataSync())).toEqual([2.5, 25]);
    });
  });

  it('has a JVP that matches finite differences and a VJP adjoint to it', () => {
    const errors = layerDerivativeErrors({ inputShape: [3, 2, 4], layers: [{ type: 'globalAvgPool' }], batch: 2 });
    expect(errors.jvpNorm).toBeGreaterThan(0.1);
    expect(errors.finiteDifference).toBeLessThan(1e-2);
    expect(errors.adjoint).toBeLessThan(1e-5);
  });

  it('rejects flat input', () => {
    expect(() => buildNetwork({ inputShape: [4], layers: [{ type: 'globalAvgPool' }] })).toThrow(/layer 1 .*globalAvgPool needs \[height, width, channels\]/);
  });
});
