import { describe, expect, it } from 'vitest';
import { expectVectorsClose } from '../gradientStepContext.testkit';
import { addL2 } from './addDecayedWeights';
import { chain } from './gradientTransform';
import { scaleByLearningRate } from './scaleByLearningRate';
import { trace } from './trace';
import { transformOutputs } from './transformOutputs.testkit';

describe('chain', () => {
  it('applies the transforms in order', () => {
    // L2 then momentum then −lr: buf = g + 0.5·w = [2, −2.5]; Δ = −0.1·buf. The other order decays a scaled step.
    expectVectorsClose(transformOutputs(chain(addL2(0.5), trace(0.9), scaleByLearningRate(0.1)), [2, -1], [[1, -2]]), [[-0.2, 0.25]], 1e-7);
    expectVectorsClose(transformOutputs(chain(scaleByLearningRate(0.1), addL2(0.5)), [2, -1], [[1, -2]]), [[0.9, -0.3]], 1e-7);
  });

  it('keeps each transform its own state from step to step', () => {
    // Two traces of 0.5 on u = 1: the first buffer runs 1, 1.5, 1.75; the second sums those: 1, 2, 2.75.
    expectVectorsClose(transformOutputs(chain(trace(0.5), trace(0.5)), [0], [[1], [1], [1]]), [[1], [2], [2.75]], 1e-7);
    const state = chain(trace(0.5), addL2(1)).init({}, { totalSteps: 1, stepsPerEpoch: 1 });
    expect(state).toEqual([{ buffer: {} }, null]);
  });
});
