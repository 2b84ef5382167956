import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { buildNetwork } from './buildNetwork';
import { awayFromZero, layerDerivativeErrors } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';
import type { ActivationSpec } from '../../shared/modelSpec';

const kinds: ActivationSpec['type'][] = ['relu', 'tanh', 'sigmoid'];
const reference: Record<ActivationSpec['type'], (v: number) => number> = {
  relu: (v) => Math.max(0, v),
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
};

describe('activations', () => {
  for (const type of kinds) {
    it(`${type} computes its function elementwise`, () => {
      tf.tidy(() => {
        const xs = [-2, -0.5, 0.25, 3];
        const net = buildNetwork({ inputShape: [4], layers: [{ type }] });
        const y = net.forward(tf.tensor2d([xs]), {}, evalContext({})).y.dataSync();
        xs.forEach((v, i) => expect(y[i]).toBeCloseTo(reference[type](v), 6));
      });
    });

    it(`${type} has a JVP that matches finite differences and a VJP adjoint to it`, () => {
      // Inputs kept 0.2 away from 0: relu's kink is then far outside the finite-difference step.
      const errors = layerDerivativeErrors({ inputShape: [2, 2, 3], layers: [{ type }], batch: 2, input: awayFromZero, eps: 1e-2 });
      expect(errors.jvpNorm).toBeGreaterThan(0.1);
      expect(errors.finiteDifference).toBeLessThan(1e-2);
      expect(errors.adjoint).toBeLessThan(1e-5);
    });
  }

  it('passes a null tangent through (no input tangent, no parameters)', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [3], layers: [{ type: 'tanh' }] });
      const { cache } = net.forward(tf.ones([2, 3]), {}, evalContext({}));
      expect(net.jvp(cache, null, {})).toBeNull();
    });
  });
});
