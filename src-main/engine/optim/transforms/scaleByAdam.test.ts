import { describe, it } from 'vitest';
import { expectVectorsClose } from '../gradientStepContext.testkit';
import { adamGradients, adamScalarUpdates, perStep } from '../adamReference.testkit';
import { scaleByAdam } from './scaleByAdam';
import { transformOutputs } from './transformOutputs.testkit';

describe('scaleByAdam', () => {
  it('gives m̂/(√v̂ + ε), with an ε large enough to matter and a lazy input factor', () => {
    // Effective updates 2·u; adamScalarUpdates with lr = 1 is −m̂/(√v̂ + ε).
    const outputs = transformOutputs(scaleByAdam(0.8, 0.99, 0.1), [0, 0], adamGradients, 2);
    const expected = perStep([0, 1].map((j) => adamScalarUpdates(adamGradients.map((g) => 2 * g[j]), 1, 0.8, 0.99, 0.1).map((x) => -x)));
    // step 1, weight 0 by hand: m̂ = 2, v̂ = 4 → 2/(2 + 0.1)
    expectVectorsClose([expected[0]], [[2 / 2.1, expected[0][1]]], 1e-12);
    expectVectorsClose(outputs, expected, 1e-6);
  });
});
