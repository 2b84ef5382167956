import type { tf } from '../tf';
import type { Padding } from '../../shared/modelSpec';
import { runKernel } from './runKernel';

/** The backend kernels a convolution's reverse rule calls directly (NHWC), so a native backend can replace them. */

/** d(conv2d(x, filter))/dx applied to dy: the input cotangent of a convolution. */
export function conv2dBackpropInput(
  dy: tf.Tensor,
  filter: tf.Tensor,
  inputShape: [number, number, number, number],
  strides: [number, number],
  pad: Padding,
): tf.Tensor {
  return runKernel('Conv2DBackpropInput', { dy, filter }, { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape });
}

/** The filter cotangent of a convolution: correlates the input x with dy. */
export function conv2dBackpropFilter(
  x: tf.Tensor,
  dy: tf.Tensor,
  filterShape: [number, number, number, number],
  strides: [number, number],
  pad: Padding,
): tf.Tensor {
  return runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape });
}
