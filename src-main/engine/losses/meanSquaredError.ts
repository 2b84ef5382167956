import { tf } from '../tf';
import type { Loss } from './loss';

/**
 * Mean squared error over all N·C entries. Outputs y and targets t are float tensors [N, C]:
 *   L = (1/(N·C)) Σ (y − t)²
 *   dL/dy = 2 (y − t) / (N·C)
 *   H_L·v = 2 v / (N·C)            (H_L is a multiple of the identity)
 */
export const meanSquaredError: Loss = {
  name: 'meanSquaredError',

  value(y, targets) {
    return tf.tidy(() => tf.mean(tf.squaredDifference(y, targets)) as tf.Scalar);
  },

  gradient(y, targets) {
    return tf.tidy(() => tf.mul(tf.sub(y, targets), 2 / y.size));
  },

  hessianVectorProduct(y, _targets, v) {
    return tf.tidy(() => tf.mul(v, 2 / y.size));
  },

  accuracy() {
    return null;
  },

  evaluate(y, targets) {
    return { numbers: tf.reshape(meanSquaredError.value(y, targets), [1]), gradient: meanSquaredError.gradient(y, targets) };
  },
};
