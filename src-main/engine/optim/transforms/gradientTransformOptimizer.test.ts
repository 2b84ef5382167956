import { describe, expect, it } from 'vitest';
import { tf } from '../../tf';
import { gradientStepContext } from '../gradientStepContext.testkit';
import { addL2 } from './addDecayedWeights';
import { chain } from './gradientTransform';
import { gradientTransformOptimizer } from './gradientTransformOptimizer';
import { scaleByLearningRate } from './scaleByLearningRate';
import { trace } from './trace';

describe('gradientTransformOptimizer', () => {
  it('hands over the context gradient itself with scale −lr when the chain only scales (SGD copies nothing)', () => {
    const params = { w: tf.tensor1d([2, -1]) };
    const ctx = gradientStepContext(0, { w: [1, -2] });
    const optimizer = gradientTransformOptimizer(chain(addL2(0), scaleByLearningRate(0.1)), { lr: 0.1 });
    const before = tf.memory().numTensors;
    const result = optimizer.update(ctx, optimizer.init(params, { totalSteps: 1, stepsPerEpoch: 1 }), params);
    expect(result.updates.w).toBe(ctx.gradient().w);
    expect(result.scale).toBeCloseTo(-0.1, 15);
    expect(result.trace).toEqual({ lr: 0.1 });
    expect(tf.memory().numTensors).toBe(before);
    ctx.dispose();
    params.w.dispose();
  });

  it('keeps the tensors of the updates and the new state, and nothing else made in the step', () => {
    const params = { w: tf.tensor1d([2, -1]) };
    const ctx = gradientStepContext(0, { w: [1, -2] });
    const optimizer = gradientTransformOptimizer(chain(addL2(0.5), trace(0.9), scaleByLearningRate(0.1)), { lr: 0.1 });
    const state = optimizer.init(params, { totalSteps: 1, stepsPerEpoch: 1 });
    const before = tf.memory().numTensors;
    const result = optimizer.update(ctx, state, params);
    // The momentum buffer is both the updates and the new state: one tensor, the L2 temporary gone.
    expect(result.updates.w).toBe((result.state as [null, { buffer: { w: tf.Tensor } }, null])[1].buffer.w);
    expect(Array.from(result.updates.w.dataSync(), (u) => u * result.scale!)).toEqual([expect.closeTo(-0.2, 7), expect.closeTo(0.25, 7)]);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([result.updates.w, params.w, ...Object.values((state as [null, { buffer: { w: tf.Tensor } }])[1].buffer)]);
    ctx.dispose();
  });
});
