import { tf } from '../tf';
import { fusedKernelNames, hasFusedKernel, pairInputs, sameFloat32Shape, type AxpbyAttrs } from './fusedKernels';

/**
 * alpha·a[i] + beta·b[i] for each i (a[i] and b[i] of one shape): a parameter update w + s·Δ or a mix of
 * two directions, for every tensor of a parameter set in one kernel call where the backend fuses it.
 */
export function axpbyEach(alpha: number, a: tf.Tensor[], beta: number, b: tf.Tensor[]): tf.Tensor[] {
  if (a.length > 0 && a.every((t, i) => sameFloat32Shape(t, b[i])) && hasFusedKernel(fusedKernelNames.axpby)) {
    const attrs: AxpbyAttrs = { alpha, beta };
    const result = tf.engine().runKernel(fusedKernelNames.axpby, pairInputs(a.map((t, i) => [t, b[i]])), attrs as unknown as tf.NamedAttrMap);
    return Array.isArray(result) ? result : [result];
  }
  return a.map((t, i) => tf.tidy(() => tf.add(alpha === 1 ? t : tf.mul(t, alpha), beta === 1 ? b[i] : tf.mul(b[i], beta))));
}
