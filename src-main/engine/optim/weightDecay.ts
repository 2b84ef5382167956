import { tf } from '../tf';
import { mapParams, type Params } from '../params';
import type { OptionDescriptor } from './optimizer';

/** The `weightDecay` option of the first-order optimizers: an L2 penalty added to the gradient (PyTorch's convention). */
export const l2WeightDecayOption: OptionDescriptor = {
  name: 'weightDecay',
  type: 'number',
  default: 0,
  description: 'L2 penalty: adds weightDecay·w to the gradient',
  min: 0,
};

/** g + weightDecay·w; the gradient itself when there is no decay (callers derive new tensors from it). */
export function gradientWithL2(gradient: Params, params: Params, weightDecay: number): Params {
  if (weightDecay === 0) return gradient;
  return mapParams(gradient, (g, k) => tf.add(g, tf.mul(params[k], weightDecay)));
}
