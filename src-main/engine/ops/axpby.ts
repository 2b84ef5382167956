import { tf } from '../tf';
import { fusedKernelNames, hasFusedKernel, pairsFusable, runPairKernel, type AxpbyAttrs } from './fusedKernels';

/**
 * The kernel a GPU backend may register for axpbyEach with alpha and beta as float32 scalar tensors
 * (inputs alpha, beta, a0, b0, a1, b1, …), so that step sizes computed on the device (CurveBall's β and
 * ρ on webgpu) are used there without being read back, in one pass per tensor.
 */
export const axpbyScalarsKernelName = 'CurvelabAxpbyScalars';

/**
 * alpha·a[i] + beta·b[i] for each i (a[i] and b[i] of one shape): a parameter update w + s·Δ or a mix of
 * two directions, for every tensor of a parameter set in one kernel call where the backend fuses it.
 * alpha and beta are numbers, or scalar tensors left where they are.
 */
export function axpbyEach(alpha: number | tf.Scalar, a: tf.Tensor[], beta: number | tf.Scalar, b: tf.Tensor[]): tf.Tensor[] {
  const fusable = pairsFusable(a, b);
  if (typeof alpha === 'number' && typeof beta === 'number') {
    if (fusable && hasFusedKernel(fusedKernelNames.axpby)) {
      const attrs: AxpbyAttrs = { alpha, beta };
      return runPairKernel(fusedKernelNames.axpby, a, b, attrs);
    }
    return a.map((t, i) => tf.tidy(() => tf.add(alpha === 1 ? t : tf.mul(t, alpha), beta === 1 ? b[i] : tf.mul(b[i], beta))));
  }
  if (fusable && hasFusedKernel(axpbyScalarsKernelName)) {
    return tf.tidy(() => runPairKernel(axpbyScalarsKernelName, a, b, {}, { alpha: scalarTensor(alpha), beta: scalarTensor(beta) }));
  }
  return a.map((t, i) => tf.tidy(() => tf.add(tf.mul(alpha, t), tf.mul(beta, b[i]))));
}

function scalarTensor(x: number | tf.Scalar): tf.Scalar {
  return typeof x === 'number' ? tf.scalar(x) : x;
}
