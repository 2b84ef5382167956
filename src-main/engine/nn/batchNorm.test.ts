import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { tf } from '../tf';
import { gradientErrorAgainstAutodiff } from './autodiffReference.testkit';
import { buildNetwork } from './buildNetwork';
import { layerDerivativeErrors, randomTensor, read } from './derivativeChecks.testkit';
import type { LayerContext, ModelState } from './layer';
import { evalContext, trainContext } from './layerContexts';

const noMasks = () => {
  throw new Error('no dropout here');
};

/** Running statistics far from their initial values, so eval mode is a real test. */
function someRunningStatistics(features: number): ModelState {
  const mean = Array.from({ length: features }, (_, i) => 0.3 * i - 0.2);
  const variance = Array.from({ length: features }, (_, i) => 0.5 + 0.4 * i);
  return { 'batchNorm_0/movingMean': tf.tensor1d(mean), 'batchNorm_0/movingVariance': tf.tensor1d(variance) };
}

/** Per-feature mean and biased variance over every axis but the last, in float64. */
function featureStatistics(values: Float64Array, features: number): { mean: number[]; variance: number[]; count: number } {
  const count = values.length / features;
  const mean = Array.from({ length: features }, (_, f) => values.filter((_, i) => i % features === f).reduce((a, b) => a + b, 0) / count);
  const variance = mean.map((m, f) => values.filter((_, i) => i % features === f).reduce((a, v) => a + (v - m) ** 2, 0) / count);
  return { mean, variance, count };
}

const cases = [
  { name: 'dense input [N, F]', inputShape: [3], batch: 4 },
  { name: 'NHWC input', inputShape: [3, 3, 2], batch: 2 },
];

describe('batchNorm', () => {
  for (const c of cases) {
    it(`train mode on ${c.name}: JVP through the batch statistics matches finite differences, VJP adjoint`, () => {
      const errors = layerDerivativeErrors({
        inputShape: c.inputShape,
        layers: [{ type: 'batchNorm' }],
        batch: c.batch,
        context: () => trainContext({}, null, noMasks),
      });
      expect(errors.jvpNorm).toBeGreaterThan(0.1);
      expect(errors.finiteDifference).toBeLessThan(1e-2);
      expect(errors.adjoint).toBeLessThan(1e-5);
    });

    it(`eval mode on ${c.name}: JVP matches finite differences, VJP adjoint`, () => {
      const state = someRunningStatistics(c.inputShape[c.inputShape.length - 1]);
      const errors = layerDerivativeErrors({
        inputShape: c.inputShape,
        layers: [{ type: 'batchNorm' }],
        batch: c.batch,
        context: () => evalContext(state),
      });
      tf.dispose(Object.values(state));
      expect(errors.finiteDifference).toBeLessThan(1e-2);
      expect(errors.adjoint).toBeLessThan(1e-5);
    });

    it(`train mode on ${c.name}: the gradient matches TF.js autodiff through the batch statistics`, () => {
      const context = (): LayerContext => trainContext({}, null, noMasks);
      expect(gradientErrorAgainstAutodiff({ inputShape: c.inputShape, layers: [{ type: 'batchNorm' }], batch: c.batch, context })).toBeLessThan(
        1e-4,
      );
    });
  }

  it('normalises with the biased batch variance in train mode', () => {
    tf.tidy(() => {
      const net = buildNetwork({ inputShape: [2], layers: [{ type: 'batchNorm', epsilon: 1e-3 }] });
      const x = randomTensor(new Rng(3), [5, 2]);
      const gamma = tf.tensor1d([2, -1]);
      const beta = tf.tensor1d([0.5, 1]);
      const y = read(net.forward(x, { 'batchNorm_0/gamma': gamma, 'batchNorm_0/beta': beta }, trainContext({}, null, noMasks)).y);
      const xs = read(x);
      const { mean, variance } = featureStatistics(xs, 2);
      xs.forEach((v, i) => {
        const f = i % 2;
        const expected = [2, -1][f] * ((v - mean[f]) / Math.sqrt(variance[f] + 1e-3)) + [0.5, 1][f];
        expect(y[i]).toBeCloseTo(expected, 4);
      });
    });
  });

  it('writes running statistics only when stateUpdates is given, and eval mode uses them', () => {
    tf.tidy(() => {
      const momentum = 0.8;
      const net = buildNetwork({ inputShape: [2, 2, 3], layers: [{ type: 'batchNorm', momentum }] });
      const state = someRunningStatistics(3);
      const params = { 'batchNorm_0/gamma': tf.tensor1d([1, 2, 0.5]), 'batchNorm_0/beta': tf.tensor1d([0, 0.1, -0.3]) };
      const x = randomTensor(new Rng(4), [2, 2, 2, 3], 2);

      // A pass without stateUpdates writes nothing and leaves the state alone.
      const stateBefore = { ...state };
      net.forward(x, params, trainContext(state, null, noMasks));
      expect(state).toEqual(stateBefore);

      const updates: ModelState = {};
      net.forward(x, params, trainContext(state, updates, noMasks));
      expect(Object.keys(updates).sort()).toEqual(['batchNorm_0/movingMean', 'batchNorm_0/movingVariance']);
      const { mean, variance, count } = featureStatistics(read(x), 3);
      const oldMean = read(state['batchNorm_0/movingMean']);
      const oldVariance = read(state['batchNorm_0/movingVariance']);
      const newMean = read(updates['batchNorm_0/movingMean']);
      const newVariance = read(updates['batchNorm_0/movingVariance']);
      for (let f = 0; f < 3; f++) {
        expect(newMean[f]).toBeCloseTo(momentum * oldMean[f] + (1 - momentum) * mean[f], 5);
        // The running variance estimates the population's: the unbiased batch variance goes in.
        expect(newVariance[f]).toBeCloseTo(momentum * oldVariance[f] + (1 - momentum) * variance[f] * (count / (count - 1)), 5);
      }

      // Eval mode: y = γ (x − running mean) / sqrt(running variance + ε) + β with the updated statistics.
      const y = read(net.forward(x, params, evalContext(updates)).y);
      const gamma = read(params['batchNorm_0/gamma']);
      const beta = read(params['batchNorm_0/beta']);
      read(x).forEach((v, i) => {
        const f = i % 3;
        expect(y[i]).toBeCloseTo((gamma[f] * (v - newMean[f])) / Math.sqrt(newVariance[f] + 1e-5) + beta[f], 4);
      });
    });
  });
});
