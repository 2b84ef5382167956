import { tf } from '../tf';

/**
 * Ops that a backend may run as one kernel each (`cpu-blas` registers them, see native/kernels) and
 * that run as TF.js's own ops everywhere else. At MLP sizes the passes over memory and the dispatches
 * of the small ops they replace are a large share of a training step; on every backend the result is
 * the same up to float32 rounding.
 */
export const fusedKernelNames = {
  axpby: 'CurvelabAxpby',
  dense: 'CurvelabDense',
  innerProducts: 'CurvelabInnerProducts',
  reluDerivativeTimes: 'CurvelabReluDerivativeTimes',
  softmaxCrossEntropy: 'CurvelabSoftmaxCrossEntropy',
  softmaxCrossEntropyHessianVector: 'CurvelabSoftmaxCrossEntropyHessianVector',
} as const;

/** Attributes of the axpby kernel. */
export interface AxpbyAttrs {
  alpha: number;
  beta: number;
}

/** Whether the active backend runs this fused kernel. */
export function hasFusedKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

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

/** What a dense product adds to a·b, and what it does to the sum. */
export interface DenseProductOptions {
  /** [n] (a row added to every row) or [m, n]. */
  bias?: tf.Tensor | null;
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

/** The inputs of the dense kernel; attributes transposeB and activation. */
export interface DenseAttrs {
  transposeA: false;
  transposeB: boolean;
  activation: 'linear' | 'relu';
}

/**
 * a·b (or a·bᵀ) plus a bias, then a ReLU or ReLU's derivative, for matrices a [m, k] and b: a dense
 * layer's product (with the ReLU after it), the sum of its two JVP terms (dx·W, with x·dW + db as the
 * bias) and its input cotangent dy·Wᵀ (with the ReLU in front of it). One kernel where the backend
 * fuses it, else tf.fused.matMul and a multiply.
 */
export function denseProduct(a: tf.Tensor2D, b: tf.Tensor2D, options: DenseProductOptions = {}): tf.Tensor2D {
  const { bias = null, transposeB = false, activation = 'linear', reluDerivativeOf = null } = options;
  const [m, n] = [a.shape[0], transposeB ? b.shape[0] : b.shape[1]];
  const biasFits = !bias || (bias.dtype === 'float32' && (tf.util.arraysEqual(bias.shape, [n]) || tf.util.arraysEqual(bias.shape, [m, n])));
  const maskFits = !reluDerivativeOf || (reluDerivativeOf.dtype === 'float32' && tf.util.arraysEqual(reluDerivativeOf.shape, [m, n]));
  if (a.dtype === 'float32' && b.dtype === 'float32' && biasFits && maskFits && hasFusedKernel(fusedKernelNames.dense)) {
    const inputs: tf.NamedTensorMap = { a, b };
    if (bias) inputs.bias = bias;
    if (reluDerivativeOf) inputs.reluOutput = reluDerivativeOf;
    const attrs: DenseAttrs = { transposeA: false, transposeB, activation };
    return tf.engine().runKernel(fusedKernelNames.dense, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  const product = tf.fused.matMul({ a, b, bias: bias ?? undefined, transposeB, activation }) as tf.Tensor2D;
  return reluDerivativeOf ? (reluDerivativeTimes(reluDerivativeOf, product) as tf.Tensor2D) : product;
}

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

/** A kernel's inputs a0, b0, a1, b1, … for pairs of tensors. */
function pairInputs(pairs: [tf.Tensor, tf.Tensor][]): tf.NamedTensorMap {
  const inputs: tf.NamedTensorMap = {};
  pairs.forEach(([a, b], i) => {
    inputs[`a${i}`] = a;
    inputs[`b${i}`] = b;
  });
  return inputs;
}

function sameFloat32Shape(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.dtype === 'float32' && b.dtype === 'float32' && tf.util.arraysEqual(a.shape, b.shape);
}
