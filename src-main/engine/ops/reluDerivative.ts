import { tf } from '../tf';
import { fusedKernelNames, hasFusedKernel, sameFloat32Shape } from './fusedKernels';

/**
 * step(y) ⊙ v for y = relu(x): ReLU's derivative (0 at the kink, as TF.js's own gradient has it) times a
 * tangent or cotangent v of y's shape.
 */
export function reluDerivativeTimes(y: tf.Tensor, v: tf.Tensor): tf.Tensor {
  if (sameFloat32Shape(y, v) && hasFusedKernel(fusedKernelNames.reluDerivativeTimes)) {
    return tf.engine().runKernel(fusedKernelNames.reluDerivativeTimes, { y, dy: v }) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(tf.step(y), v));
}
