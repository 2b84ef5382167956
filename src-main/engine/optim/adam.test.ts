import { describe, it } from 'vitest';
import { adamDefinition } from './adam';
import { expectVectorsClose, updatesForGradients } from './gradientStepContext.testkit';
import { adamGradients, adamScalarUpdates, perStep } from './adamReference.testkit';

describe('adam', () => {
  it('first step is −lr·sign(g) (bias correction makes m̂ = g, v̂ = g²)', () => {
    const updates = updatesForGradients(adamDefinition.create({ lr: 0.1 }), [0, 0], [adamGradients[0]]);
    expectVectorsClose(updates, [[-0.1, 0.1]], 1e-6);
  });

  it('matches the scalar recurrence for three steps', () => {
    const updates = updatesForGradients(adamDefinition.create({ lr: 0.1, beta1: 0.8, beta2: 0.99 }), [0, 0], adamGradients);
    const expected = perStep([0, 1].map((j) => adamScalarUpdates(adamGradients.map((g) => g[j]), 0.1, 0.8, 0.99, 1e-8)));
    // step 2, weight 0 by hand: m = 0.8·0.2 + 0.2·0.5 = 0.26, v = 0.99·0.01 + 0.01·0.25 = 0.0124,
    // m̂ = 0.26/0.36, v̂ = 0.0124/0.0199 → Δ = −0.1·0.72222/0.78938 = −0.0914927
    expectVectorsClose([expected[1]], [[-0.0914927, expected[1][1]]], 1e-6);
    expectVectorsClose(updates, expected, 1e-6);
  });

  it('weightDecay is an L2 term inside the moments', () => {
    const w = [2, -1];
    const updates = updatesForGradients(adamDefinition.create({ lr: 0.1, weightDecay: 0.3 }), w, adamGradients);
    const expected = perStep([0, 1].map((j) => adamScalarUpdates(adamGradients.map((g) => g[j] + 0.3 * w[j]), 0.1, 0.9, 0.999, 1e-8)));
    expectVectorsClose(updates, expected, 1e-6);
  });
});
