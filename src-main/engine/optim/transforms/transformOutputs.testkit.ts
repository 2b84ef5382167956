/** Test support: a gradient transform's outputs, step by step, as plain numbers. */
import { tf, tidyValue } from '../../tf';
import type { GradientTransform } from './gradientTransform';

/**
 * Runs a transform on one parameter vector "w" for one step per given update (each handed over as
 * `inputScale`·update, to exercise the lazy factor) and returns each step's scale·tensors. Disposes all it makes.
 */
export function transformOutputs<S>(transform: GradientTransform<S>, weights: number[], updates: number[][], inputScale = 1): number[][] {
  return tidyValue(() => {
    const params = { w: tf.tensor1d(weights) };
    let state = transform.init(params, { totalSteps: updates.length, stepsPerEpoch: updates.length });
    return updates.map((u) => {
      const result = transform.update({ tensors: { w: tf.tensor1d(u) }, scale: inputScale }, state, params);
      state = result.state;
      return Array.from(result.updates.tensors.w.dataSync(), (x) => x * result.updates.scale);
    });
  });
}
