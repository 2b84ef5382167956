import { tf } from '../tf';
import { hasFusedKernel } from './fusedKernels';

/**
 * The kernel a GPU backend may register for sumOverLeadingAxes (input x: float32, seen as [rows, last]):
 * TF.js's sum over leading axes transposes first, a whole pass and a dispatch more than a column sum.
 */
export const sumOverLeadingAxesKernelName = 'CurvelabSumOverLeadingAxes';

/** The sum of x over every axis but the last, [last]: a layer's bias cotangent Σ dy over batch and positions. */
export function sumOverLeadingAxes(x: tf.Tensor): tf.Tensor1D {
  if (x.rank > 1 && x.dtype === 'float32' && hasFusedKernel(sumOverLeadingAxesKernelName)) {
    return tf.engine().runKernel(sumOverLeadingAxesKernelName, { x }) as tf.Tensor1D;
  }
  return tf.sum(x, x.shape.slice(0, -1).map((_, axis) => axis)) as tf.Tensor1D;
}
