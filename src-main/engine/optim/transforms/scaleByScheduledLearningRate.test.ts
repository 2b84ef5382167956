import { describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { expectVectorsClose } from '../gradientStepContext.testkit';
import { scaleByScheduledLearningRate } from './scaleByScheduledLearningRate';
import { transformOutputs } from './transformOutputs.testkit';

describe('scaleByScheduledLearningRate', () => {
  it('gives −lr_t·u with t the step index, over the run it was initialised for', () => {
    // lr_t = (t + 1)/T with T = 3 steps; inputs handed over with the lazy factor 2.
    const transform = scaleByScheduledLearningRate((t, run) => (t + 1) / run.totalSteps);
    const outputs = transformOutputs(transform, [0, 0], [[3, -1], [3, -1], [1, 1]], 2);
    expectVectorsClose(outputs, [[-2, 2 / 3], [-4, 4 / 3], [-2, -2]], 1e-6);
  });

  it('changes only the lazy factor, counts its steps in the state and reports the rate it used', () => {
    const tensors = { w: tf.tensor1d([1, 2]) };
    const transform = scaleByScheduledLearningRate((t, run) => 0.5 ** t * run.stepsPerEpoch);
    const state = transform.init(tensors, { totalSteps: 10, stepsPerEpoch: 2 });
    const before = tf.memory().numTensors;
    const first = transform.update({ tensors, scale: 3 }, state, tensors);
    const second = transform.update({ tensors, scale: 3 }, first.state, tensors);
    expect(first.updates.tensors).toBe(tensors);
    expect([first.updates.scale, second.updates.scale]).toEqual([-6, -3]);
    expect([first.trace, second.trace]).toEqual([{ lr: 2 }, { lr: 1 }]);
    expect(second.state).toEqual({ count: 2, run: { totalSteps: 10, stepsPerEpoch: 2 } });
    expect(state.count).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    tensors.w.dispose();
  });
});
