import { expect, it } from 'vitest';
import { tf } from '../tf';
import { addScaledParams, type Params } from '../params';
import { describeNative } from '../native/nativeBackend.testkit';
import { NATIVE_BACKEND } from '../native/nativeKernel';
import type { OptimizerOptions } from './defineOptimizer';
import { createOptimizer } from './registry';
import { adamGradients, adamScalarUpdates, perStep } from './adamReference.testkit';
import { expectVectorsClose, gradientStepContext, updatesForGradients } from './gradientStepContext.testkit';
import { tensorsIn } from './tensorsIn';

/** The kernels of one optimizer step and its application w ← w + scale·updates, on two parameter tensors. */
async function stepKernels(name: string, options: OptimizerOptions): Promise<string[]> {
  const params: Params = { kernel: tf.tensor1d([1, 2, 3, 4]), bias: tf.tensor1d([1, -1]) };
  const ctx = gradientStepContext(0, { kernel: [0.5, -1, 2, 0], bias: [1, 1] });
  const optimizer = createOptimizer(name, options);
  const state = optimizer.init(params, { totalSteps: 10, stepsPerEpoch: 5 });
  const profile = await tf.profile(() => {
    tf.tidy(() => {
      const result = optimizer.update(ctx, state, params);
      addScaledParams(params, result.scale ?? 1, result.updates);
      tf.dispose(tensorsIn(result.state));
    });
  });
  tf.dispose([...tensorsIn(state), ...Object.values(params)]);
  ctx.dispose();
  return profile.kernels.map((k) => k.name);
}

// cpu-blas mixes two parameter sets in one fused kernel call (axpby over every tensor): the first-order
// chains fold their scalars into those calls, so a step costs a fixed number of calls, not one per op.
describeNative('first-order steps on cpu-blas', () => {
  it('run SGD as the update alone, momentum and L2 decay as one fused call each', async () => {
    await tf.setBackend(NATIVE_BACKEND);
    expect(await stepKernels('sgd', {})).toEqual(['CurvelabAxpby']);
    expect(await stepKernels('sgd', { weightDecay: 0.1 })).toEqual(['CurvelabAxpby', 'CurvelabAxpby']);
    expect(await stepKernels('momentum', {})).toEqual(['CurvelabAxpby', 'CurvelabAxpby']);
    expect(await stepKernels('momentum', { nesterov: true })).toEqual(['CurvelabAxpby', 'CurvelabAxpby', 'CurvelabAxpby']);
  });

  it('keep those counts under a learning-rate schedule, which changes only the factor', async () => {
    await tf.setBackend(NATIVE_BACKEND);
    for (const lrSchedule of ['step', 'cosine']) {
      expect(await stepKernels('sgd', { lrSchedule })).toEqual(['CurvelabAxpby']);
      expect(await stepKernels('momentum', { lrSchedule })).toEqual(['CurvelabAxpby', 'CurvelabAxpby']);
      expect(await stepKernels('adam', { lrSchedule })).toEqual(await stepKernels('adam', {}));
    }
  });

  it('run Adam as four fused calls: m, v (with the square), the direction m/(√v + ε) and the update', async () => {
    await tf.setBackend(NATIVE_BACKEND);
    expect(await stepKernels('adam', {})).toEqual(['CurvelabAxpby', 'CurvelabAxpbySquare', 'CurvelabDivideByRoot', 'CurvelabAxpby']);
  });

  it('give Adam the scalar recurrence and RMSprop its hand-worked steps through those fused calls', async () => {
    await tf.setBackend(NATIVE_BACKEND);
    const adam = updatesForGradients(createOptimizer('adam', { lr: 0.1, beta1: 0.8, beta2: 0.99 }), [0, 0], adamGradients);
    expectVectorsClose(adam, perStep([0, 1].map((j) => adamScalarUpdates(adamGradients.map((g) => g[j]), 0.1, 0.8, 0.99, 1e-8))), 1e-6);
    // v = 0.1·[1, 4] = [0.1, 0.4], then 0.9·v + 0.1·[0.25, 1] = [0.115, 0.46]; Δ = −0.01·g/(√v + 1e−8).
    const rmsprop = updatesForGradients(createOptimizer('rmsprop', { lr: 0.01, alpha: 0.9 }), [0, 0], adamGradients.slice(0, 2));
    const expected = [[1 / Math.sqrt(0.1), -2 / Math.sqrt(0.4)], [0.5 / Math.sqrt(0.115), 1 / Math.sqrt(0.46)]].map((row) => row.map((x) => -0.01 * x));
    expectVectorsClose(rmsprop, expected, 1e-6);
  });

  it('run RMSprop and Adagrad as three fused calls: the squares, the direction u/(√s + ε) and the update', async () => {
    await tf.setBackend(NATIVE_BACKEND);
    for (const name of ['rmsprop', 'adagrad']) {
      expect(await stepKernels(name, {}), name).toEqual(['CurvelabAxpbySquare', 'CurvelabDivideByRoot', 'CurvelabAxpby']);
    }
  });
});
