import { describe, it } from 'vitest';
import { adamwDefinition } from './adamw';
import { expectVectorsClose, updatesForGradients } from './gradientStepContext.testkit';
import { adamGradients, adamScalarUpdates, perStep } from './adamReference.testkit';

describe('adamw', () => {
  it('decays the weights outside the moments: Δw = adam(g) − lr·weightDecay·w', () => {
    const w = [2, -1];
    const updates = updatesForGradients(adamwDefinition.create({ lr: 0.1, weightDecay: 0.5 }), w, adamGradients);
    const adam = perStep([0, 1].map((j) => adamScalarUpdates(adamGradients.map((g) => g[j]), 0.1, 0.9, 0.999, 1e-8)));
    // step 1 by hand: adam gives [−0.1, 0.1]; decay −0.1·0.5·[2, −1] = [−0.1, 0.05]
    expectVectorsClose([updates[0]], [[-0.2, 0.15]], 1e-6);
    expectVectorsClose(updates, adam.map((row) => row.map((a, j) => a - 0.1 * 0.5 * w[j])), 1e-6);
  });
});
