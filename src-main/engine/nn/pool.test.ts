import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { buildNetwork } from './buildNetwork';
import { distinctValues, layerDerivativeErrors } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';
import type { PoolSpec } from '../../shared/modelSpec';

const geometries: { name: string; inputShape: number[]; pool: Omit<PoolSpec, 'type'>; outputShape: number[] }[] = [
  { name: '2×2 valid, non-overlapping', inputShape: [4, 4, 2], pool: { poolSize: 2 }, outputShape: [2, 2, 2] },
  { name: '3×3 stride 1 valid, overlapping', inputShape: [5, 5, 2], pool: { poolSize: 3, strides: 1 }, outputShape: [3, 3, 2] },
  {
    name: '3×3 stride 2 same, overlapping and padded',
    inputShape: [6, 6, 2],
    pool: { poolSize: 3, strides: 2, padding: 'same' },
    outputShape: [3, 3, 2],
  },
  {
    name: '3×3 stride 2 same on an odd input',
    inputShape: [5, 5, 1],
    pool: { poolSize: 3, strides: 2, padding: 'same' },
    outputShape: [3, 3, 1],
  },
];

describe('pooling', () => {
  it('max-pools and average-pools a hand-checked example', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 5, 2, 0, 3, 4, 9, 8, -1], [1, 3, 3, 1]);
      const max = buildNetwork({ inputShape: [3, 3, 1], layers: [{ type: 'maxPool', poolSize: 2, strides: 1 }] });
      expect(Array.from(max.forward(x, {}, evalContext({})).y.dataSync())).toEqual([5, 5, 9, 8]);
      // 'same' average pooling divides by the number of real (unpadded) inputs in each window.
      const avg = buildNetwork({ inputShape: [3, 3, 1], layers: [{ type: 'avgPool', poolSize: 2, strides: 2, padding: 'same' }] });
      expect(Array.from(avg.forward(x, {}, evalContext({})).y.dataSync())).toEqual([2.25, 3, 8.5, -1]);
    });
  });

  for (const type of ['maxPool', 'avgPool'] as const) {
    for (const g of geometries) {
      it(`${type} ${g.name}: output shape, JVP and VJP`, () => {
        const spec: PoolSpec = { type, ...g.pool };
        expect(buildNetwork({ inputShape: g.inputShape, layers: [spec] }).outputShape).toEqual(g.outputShape);
        // Distinct, well-separated inputs: no window's argmax can change within the finite-difference step.
        const errors = layerDerivativeErrors({ inputShape: g.inputShape, layers: [spec], batch: 2, input: distinctValues, eps: 1e-3 });
        expect(errors.jvpNorm).toBeGreaterThan(0.1);
        expect(errors.finiteDifference).toBeLessThan(1e-2);
        expect(errors.adjoint).toBeLessThan(1e-5);
      });
    }
  }

  it('max-pool forward-mode takes the tangent at each window maximum', () => {
    tf.tidy(() => {
      // Batch of 2 so that the argmax index must include the batch offset.
      const x = tf.tensor4d([1, 5, 2, 0, 3, 4, 9, 8, -1, 0, -1, 7, 1, 2, 1.5, 6, 2, 3], [2, 3, 3, 1]);
      const dx = tf.tensor4d([10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 22, 23, 24, 25, 26, 27, 28], [2, 3, 3, 1]);
      const net = buildNetwork({ inputShape: [3, 3, 1], layers: [{ type: 'maxPool', poolSize: 2, strides: 1 }] });
      const { cache } = net.forward(x, {}, evalContext({}));
      expect(Array.from(net.jvp(cache, dx, {})!.dataSync())).toEqual([11, 11, 16, 17, 24, 22, 26, 28]);
    });
  });
});
