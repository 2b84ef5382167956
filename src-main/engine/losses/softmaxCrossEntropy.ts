import { fusedKernelNames, hasFusedKernel } from '../ops';
import { tf } from '../tf';
import type { Loss } from './loss';

/**
 * Softmax cross-entropy, averaged over the batch. Outputs y are logits [N, C]; targets are integer class
 * labels as an int32 tensor [N]. With p = softmax(y):
 *   L = −(1/N) Σ_i log p[i, label_i]
 *   dL/dy = (p − onehot(label)) / N
 *   H_L·v = (p⊙v − p⊙rowsum(p⊙v)) / N          (each row: (diag(p) − ppᵀ) v, over N)
 */
export const softmaxCrossEntropy: Loss = {
  name: 'softmaxCrossEntropy',

  value(y, labels) {
    return tf.tidy(() => {
      const [n, c] = y.shape;
      const picked = tf.sum(tf.mul(logSoftmax(y), tf.oneHot(labels as tf.Tensor1D, c)), 1);
      return tf.div(tf.neg(tf.sum(picked)), n) as tf.Scalar;
    });
  },

  gradient(y, labels) {
    return tf.tidy(() => {
      const [n, c] = y.shape;
      return tf.div(tf.sub(softmax(y), tf.oneHot(labels as tf.Tensor1D, c)), n);
    });
  },

  hessianVectorProduct(y, _labels, v) {
    if (y.dtype === 'float32' && y.rank === 2 && v.dtype === 'float32' && tf.util.arraysEqual(y.shape, v.shape) && hasFusedKernel(fusedKernelNames.softmaxCrossEntropyHessianVector)) {
      return tf.engine().runKernel(fusedKernelNames.softmaxCrossEntropyHessianVector, { logits: y, v }) as tf.Tensor;
    }
    return tf.tidy(() => {
      const n = y.shape[0];
      const p = softmax(y);
      const pv = tf.mul(p, v);
      const rowSums = tf.sum(pv, 1, true);
      return tf.div(tf.sub(pv, tf.mul(p, rowSums)), n);
    });
  },

  accuracy(y, labels) {
    return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(y, 1), tf.cast(labels, 'int32')), 'float32')) as tf.Scalar);
  },

  evaluate(y, labels) {
    if (y.dtype === 'float32' && y.rank === 2 && labels.dtype === 'int32' && hasFusedKernel(fusedKernelNames.softmaxCrossEntropy)) {
      const [numbers, gradient] = tf.engine().runKernel(fusedKernelNames.softmaxCrossEntropy, { logits: y, labels }) as tf.Tensor[];
      return { numbers: numbers as tf.Tensor1D, gradient };
    }
    return tf.tidy(() => {
      const numbers = tf.stack([softmaxCrossEntropy.value(y, labels), softmaxCrossEntropy.accuracy(y, labels)!]) as tf.Tensor1D;
      return { numbers, gradient: softmaxCrossEntropy.gradient(y, labels) };
    });
  },
};

/** log softmax along the last axis, shifted by the row maximum so that exp never overflows. */
function logSoftmax(y: tf.Tensor): tf.Tensor {
  const shifted = tf.sub(y, tf.max(y, 1, true));
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), 1, true)));
}

function softmax(y: tf.Tensor): tf.Tensor {
  return tf.exp(logSoftmax(y));
}
