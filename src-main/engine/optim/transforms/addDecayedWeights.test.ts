import { describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { expectVectorsClose } from '../gradientStepContext.testkit';
import { addDecayedWeights } from './addDecayedWeights';
import { transformOutputs } from './transformOutputs.testkit';

describe('addDecayedWeights', () => {
  it('adds weightDecay·w to the updates, their lazy factor folded in', () => {
    // 2·[1, −2] + 0.5·[2, −1]
    expectVectorsClose(transformOutputs(addDecayedWeights(0.5), [2, -1], [[1, -2]], 2), [[3, -4.5]], 1e-7);
  });

  it('hands the updates on untouched when there is no decay', () => {
    const params = { w: tf.tensor1d([2, -1]) };
    const updates = { tensors: { w: tf.tensor1d([1, 2]) }, scale: 3 };
    expect(addDecayedWeights(0).update(updates, null, params).updates).toBe(updates);
    tf.dispose([params.w, updates.tensors.w]);
  });
});
