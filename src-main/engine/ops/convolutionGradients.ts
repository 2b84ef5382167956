import type { tf } from '../tf';
import type { Padding } from '../../shared/modelSpec';
import { runKernel } from './runKernel';

/** The backend kernels a convolution's reverse rule calls directly (NHWC), so a native backend can replace them. */

type Shape4D = [number, number, number, number];
type HeightWidth = [number, number];

const nhwc = (strides: HeightWidth, pad: Padding) => ({ strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined });

/** d(conv2d(x, filter))/dx applied to dy: the input cotangent of a convolution. */
export function conv2dBackpropInput(dy: tf.Tensor, filter: tf.Tensor, inputShape: Shape4D, strides: HeightWidth, pad: Padding): tf.Tensor {
  return runKernel('Conv2DBackpropInput', { dy, filter }, { ...nhwc(strides, pad), inputShape });
}

/** The filter cotangent of a convolution: correlates the input x with dy. */
export function conv2dBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: Shape4D, strides: HeightWidth, pad: Padding): tf.Tensor {
  return runKernel('Conv2DBackpropFilter', { x, dy }, { ...nhwc(strides, pad), filterShape });
}
