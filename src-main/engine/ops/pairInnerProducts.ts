import { tf } from '../tf';
import { fusedKernelNames, hasFusedKernel, pairInputs, sameFloat32Shape } from './fusedKernels';

/**
 * ⟨a, b⟩ of each pair, as one float32 tensor [pairs.length], so that many inner products cost one
 * read-back (and one pass over each operand where the kernel is fused, with float64 accumulation).
 */
export function pairInnerProducts(pairs: [tf.Tensor, tf.Tensor][]): tf.Tensor1D {
  if (pairs.length > 0 && pairs.every(([a, b]) => sameFloat32Shape(a, b)) && hasFusedKernel(fusedKernelNames.innerProducts)) {
    return tf.engine().runKernel(fusedKernelNames.innerProducts, pairInputs(pairs)) as tf.Tensor1D;
  }
  return tf.tidy(() => (pairs.length === 0 ? tf.zeros([0]) : tf.stack(pairs.map(([a, b]) => tf.sum(tf.mul(a, b))))) as tf.Tensor1D);
}
