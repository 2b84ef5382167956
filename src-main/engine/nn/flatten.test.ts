import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';

describe('flatten', () => {
  it('flattens each example row-major', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [2, 2, 2], layers: [{ type: 'flatten' }] });
      expect(net.outputShape).toEqual([8]);
      const x = tf.reshape(tf.range(0, 16), [2, 2, 2, 2]);
      const y = net.forward(x, {}, evalContext({})).y;
      expect(y.shape).toEqual([2, 8]);
      expect(Array.from(y.dataSync())).toEqual(Array.from({ length: 16 }, (_, i) => i));
    });
  });

  it('has a JVP that matches finite differences and a VJP adjoint to it', () => {
    const errors = layerDerivativeErrors({ inputShape: [2, 3, 2], layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }], batch: 2 });
    expect(errors.finiteDifference).toBeLessThan(1e-2);
    expect(errors.adjoint).toBeLessThan(1e-5);
  });
});
