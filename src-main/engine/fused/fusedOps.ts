import { tf } from '../tf';

/**
 * Ops that a backend may run as one kernel each (`cpu-blas` registers them, see native/kernels) and
 * that run as TF.js's own ops everywhere else. At MLP sizes the passes over memory and the dispatches
 * of the small ops they replace are a large share of a training step; on every backend the result is
 * the same up to float32 rounding.
 */
export const fusedKernelNames = {
  axpby: 'CurvelabAxpby',
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

/** alpha·a + beta·b for tensors of one shape: a parameter update w + s·Δ, or a mix of two directions. */
export function axpby(alpha: number, a: tf.Tensor, beta: number, b: tf.Tensor): tf.Tensor {
  if (sameFloat32Shape(a, b) && hasFusedKernel(fusedKernelNames.axpby)) {
    const attrs: AxpbyAttrs = { alpha, beta };
    return tf.engine().runKernel(fusedKernelNames.axpby, { a, b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tidy(() => tf.add(alpha === 1 ? a : tf.mul(a, alpha), beta === 1 ? b : tf.mul(b, beta)));
}

/**
 * ⟨a, b⟩ of each pair, as one float32 tensor [pairs.length], so that many inner products cost one
 * read-back (and one pass over each operand where the kernel is fused, with float64 accumulation).
 */
export function pairInnerProducts(pairs: [tf.Tensor, tf.Tensor][]): tf.Tensor1D {
  if (pairs.length > 0 && pairs.every(([a, b]) => sameFloat32Shape(a, b)) && hasFusedKernel(fusedKernelNames.innerProducts)) {
    const inputs: tf.NamedTensorMap = {};
    pairs.forEach(([a, b], i) => {
      inputs[`a${i}`] = a;
      inputs[`b${i}`] = b;
    });
    return tf.engine().runKernel(fusedKernelNames.innerProducts, inputs) as tf.Tensor1D;
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

function sameFloat32Shape(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.dtype === 'float32' && b.dtype === 'float32' && tf.util.arraysEqual(a.shape, b.shape);
}
