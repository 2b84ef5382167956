import { describe, expect, it } from 'vitest';
import { describeNative, useBackend } from '../native/nativeBackend.testkit';
import type { Params } from '../params';
import { Rng } from '../rng';
import { tf } from '../tf';
import { gradientErrorAgainstAutodiff } from './autodiffReference.testkit';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors, randomTensor, read, relativeError, trainWithoutMasks } from './derivativeChecks.testkit';
import { evalContext } from './layerContexts';
import { LRN_DEFAULTS } from './lrn';
import type { LrnSpec } from '../../shared/modelSpec';

/** Strong enough that the normalisation, not the scale, dominates; windows wider and narrower than the channels. */
const settings: { name: string; spec: LrnSpec; inputShape: number[] }[] = [
  { name: 'VGG-F defaults, 7 channels', spec: { type: 'lrn' }, inputShape: [3, 3, 7] },
  { name: 'radius 2 over 3 channels', spec: { type: 'lrn', depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 }, inputShape: [2, 3, 3] },
  { name: 'radius 1 over 6 channels', spec: { type: 'lrn', depthRadius: 1, bias: 0.5, alpha: 0.8, beta: 1.5 }, inputShape: [3, 2, 6] },
  { name: 'radius 3 over 9 features (flat input)', spec: { type: 'lrn', depthRadius: 3, bias: 2, alpha: 0.3, beta: 0.6 }, inputShape: [9] },
];

function settingsOf(spec: LrnSpec) {
  return { ...LRN_DEFAULTS, ...spec };
}

function lrnSuite(backend: string): void {
  useBackend(backend);

  it('computes y_c = x_c / (k + α Σ_{|j−c|≤r} x_j²)^β, the window clipped at the ends (by hand)', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [1, 1, 3], layers: [{ type: 'lrn', depthRadius: 1, bias: 1, alpha: 0.1, beta: 0.5 }] });
      const y = read(net.forward(tf.tensor4d([1, 2, 3], [1, 1, 1, 3]), {}, evalContext({})).y);
      // Windows {1, 2}, {1, 2, 3}, {2, 3}: sums of squares 5, 14, 13.
      const expected = [1 / Math.sqrt(1.5), 2 / Math.sqrt(2.4), 3 / Math.sqrt(2.3)];
      y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    });
  });

  for (const s of settings.filter((c) => c.inputShape.length === 3)) {
    it(`${s.name}: the forward pass equals TF.js's localResponseNormalization kernel`, () => {
      tf.tidy(() => {
        const net = buildNetwork({ inputShape: s.inputShape, layers: [s.spec] });
        const x = randomTensor(new Rng(4), [2, ...s.inputShape], 2);
        const { depthRadius, bias, alpha, beta } = settingsOf(s.spec);
        const reference = tf.localResponseNormalization(x as tf.Tensor4D, depthRadius, bias, alpha, beta);
        expect(relativeError(net.forward(x, {}, evalContext({})).y, reference)).toBeLessThan(1e-6);
      });
    });

    it(`${s.name}: the VJP equals the gradient of TF.js's kernel (LRNGrad)`, () => {
      tf.tidy(() => {
        const net = buildNetwork({ inputShape: s.inputShape, layers: [s.spec] });
        const rng = new Rng(5);
        const x = randomTensor(rng, [2, ...s.inputShape], 2);
        const u = randomTensor(rng, [2, ...s.inputShape]);
        const { depthRadius, bias, alpha, beta } = settingsOf(s.spec);
        const reference = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(u, tf.localResponseNormalization(input as tf.Tensor4D, depthRadius, bias, alpha, beta))))(x);
        const { cache } = net.forward(x, {}, trainWithoutMasks());
        const grads: Params = {};
        expect(relativeError(net.vjp(cache, u, grads, true)!, reference)).toBeLessThan(1e-5);
      });
    });
  }

  for (const s of settings) {
    it(`${s.name}: the JVP matches finite differences and the VJP is its adjoint`, () => {
      const errors = layerDerivativeErrors({ inputShape: s.inputShape, layers: [s.spec], batch: 2, eps: 1e-3, input: (rng, shape) => randomTensor(rng, shape, 2) });
      expect(errors.jvpNorm).toBeGreaterThan(0.1);
      expect(errors.finiteDifference).toBeLessThan(1e-3);
      expect(errors.adjoint).toBeLessThan(1e-5);
    });

    it(`${s.name}: the VJP matches TF.js autodiff of the forward pass`, () => {
      expect(gradientErrorAgainstAutodiff({ inputShape: s.inputShape, layers: [{ type: 'tanh' }, s.spec], batch: 2 })).toBeLessThan(1e-4);
    });
  }

  it('is differentiated through its normalisation, not as a fixed scale: the JVP is not N^−β ⊙ dx', () => {
    tf.tidy(() => {
      const spec = settings[1];
      const net = buildNetwork({ inputShape: spec.inputShape, layers: [spec.spec] });
      const rng = new Rng(6);
      const x = randomTensor(rng, [2, ...spec.inputShape], 2);
      const dx = randomTensor(rng, x.shape);
      const { y, cache } = net.forward(x, {}, trainWithoutMasks());
      const scaleOnly = tf.mul(tf.div(y, x), dx);
      expect(relativeError(net.jvp(cache, dx, {})!, scaleOnly)).toBeGreaterThan(0.1);
    });
  });
}

describe('lrn on cpu', () => lrnSuite('cpu'));
describeNative('lrn on cpu-blas', () => lrnSuite('cpu-blas'));
