import { tf } from '../tf';
import { fusedKernelNames, hasFusedKernel, type DenseAttrs } from './fusedKernels';
import { reluDerivativeTimes } from './reluDerivative';

/** What a dense product adds to a·b, and what it does to the sum. */
export interface DenseProductOptions {
  /** [n] (a row added to every row) or [m, n]. */
  bias?: tf.Tensor | null;
  /** Multiply aᵀ instead of a (a is then [k, m]). */
  transposeA?: boolean;
  /** Multiply by bᵀ instead of b (b is then [n, k]). */
  transposeB?: boolean;
  /** 'relu': relu of the sum. */
  activation?: 'linear' | 'relu';
  /**
   * The output y of a ReLU: the sum is multiplied by step(y), ReLU's derivative, as the ReLU layer's
   * JVP (after this product) or VJP (before it) would.
   */
  reluDerivativeOf?: tf.Tensor | null;
}

/**
 * a·b (either transposed) plus a bias, then a ReLU or ReLU's derivative, for matrices a [m, k] and b:
 * a dense layer's product (with the ReLU after it), the sum of its two JVP terms (dx·W, with x·dW + db
 * as the bias), its input cotangent dy·Wᵀ (with the ReLU in front of it) and its kernel cotangent xᵀ·dy.
 * One kernel where the backend fuses it, else tf.fused.matMul and a multiply.
 */
export function denseProduct(a: tf.Tensor2D, b: tf.Tensor2D, options: DenseProductOptions = {}): tf.Tensor2D {
  const { bias = null, transposeA = false, transposeB = false, activation = 'linear', reluDerivativeOf = null } = options;
  const [m, n] = [transposeA ? a.shape[1] : a.shape[0], transposeB ? b.shape[0] : b.shape[1]];
  const biasFits = !bias || (bias.dtype === 'float32' && (tf.util.arraysEqual(bias.shape, [n]) || tf.util.arraysEqual(bias.shape, [m, n])));
  const maskFits = !reluDerivativeOf || (reluDerivativeOf.dtype === 'float32' && tf.util.arraysEqual(reluDerivativeOf.shape, [m, n]));
  if (a.dtype === 'float32' && b.dtype === 'float32' && biasFits && maskFits && hasFusedKernel(fusedKernelNames.dense)) {
    const inputs: tf.NamedTensorMap = { a, b };
    if (bias) inputs.bias = bias;
    if (reluDerivativeOf) inputs.reluOutput = reluDerivativeOf;
    const attrs: DenseAttrs = { transposeA, transposeB, activation };
    return tf.engine().runKernel(fusedKernelNames.dense, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  const product = tf.fused.matMul({ a, b, bias: bias ?? undefined, transposeA, transposeB, activation }) as tf.Tensor2D;
  return reluDerivativeOf ? (reluDerivativeTimes(reluDerivativeOf, product) as tf.Tensor2D) : product;
}
