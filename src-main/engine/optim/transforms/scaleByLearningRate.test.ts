import { describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { expectVectorsClose } from '../gradientStepContext.testkit';
import { scaleByLearningRate } from './scaleByLearningRate';
import { transformOutputs } from './transformOutputs.testkit';

describe('scaleByLearningRate', () => {
  it('gives −lr·u', () => {
    expectVectorsClose(transformOutputs(scaleByLearningRate(0.1), [0, 0], [[3, -1]], 2), [[-0.6, 0.2]], 1e-7);
  });

  it('changes only the lazy factor: the tensors are handed on as they came', () => {
    const tensors = { w: tf.tensor1d([1, 2]) };
    const before = tf.memory().numTensors;
    const { updates } = scaleByLearningRate(0.5).update({ tensors, scale: 3 }, null, tensors);
    expect(updates.tensors).toBe(tensors);
    expect(updates.scale).toBe(-1.5);
    expect(tf.memory().numTensors).toBe(before);
    tensors.w.dispose();
  });
});
