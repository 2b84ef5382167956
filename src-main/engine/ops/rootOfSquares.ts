import { tf } from '../tf';
import { axpbyEach } from './axpby';
import { fusedKernelNames, hasFusedKernel, pairsFusable, runPairKernel } from './fusedKernels';

/**
 * The elementwise chains of the optimizers that scale by the root of running squares (Adam, RMSprop,
 * Adagrad), for every tensor of a parameter set in one kernel call where the backend fuses them: one
 * pass over memory per tensor instead of the four of square, sqrt, add and divide.
 */

/** Attributes of the axpbySquare kernel. */
export interface AxpbySquareAttrs {
  alpha: number;
  beta: number;
}

/** Attributes of the divideByRoot kernel. */
export interface DivideByRootAttrs {
  epsilon: number;
}

/** alpha·a[i] + beta·b[i]² for each i (a[i] and b[i] of one shape): a running sum or average of squares. */
export function axpbySquareEach(alpha: number, a: tf.Tensor[], beta: number, b: tf.Tensor[]): tf.Tensor[] {
  if (pairsFusable(a, b) && hasFusedKernel(fusedKernelNames.axpbySquare)) {
    const attrs: AxpbySquareAttrs = { alpha, beta };
    return runPairKernel(fusedKernelNames.axpbySquare, a, b, attrs);
  }
  return tf.tidy(() => axpbyEach(alpha, a, beta, b.map((t) => tf.square(t))));
}

/** a[i] / (√b[i] + epsilon) for each i (a[i] and b[i] of one shape): a direction scaled by the root of its squares. */
export function divideByRootEach(a: tf.Tensor[], b: tf.Tensor[], epsilon: number): tf.Tensor[] {
  if (pairsFusable(a, b) && hasFusedKernel(fusedKernelNames.divideByRoot)) {
    const attrs: DivideByRootAttrs = { epsilon };
    return runPairKernel(fusedKernelNames.divideByRoot, a, b, attrs);
  }
  return a.map((t, i) => tf.tidy(() => tf.div(t, tf.add(tf.sqrt(b[i]), epsilon))));
}
