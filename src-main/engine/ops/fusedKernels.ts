import { tf } from '../tf';

/**
 * Ops that a backend may run as one kernel each (`cpu-blas` registers them, see native/kernels) and
 * that run as TF.js's own ops everywhere else. At MLP sizes the passes over memory and the dispatches
 * of the small ops they replace are a large share of a training step; on every backend the result is
 * the same up to float32 rounding.
 */
export const fusedKernelNames = {
  axpby: 'CurvelabAxpby',
  axpbySquare: 'CurvelabAxpbySquare',
  dense: 'CurvelabDense',
  divideByRoot: 'CurvelabDivideByRoot',
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

/** The attributes of the dense kernel (ops/denseProduct.ts). */
export interface DenseAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation: 'linear' | 'relu';
}

/** Whether the active backend runs this fused kernel. */
export function hasFusedKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** A kernel's inputs a0, b0, a1, b1, … for pairs of tensors. */
export function pairInputs(pairs: [tf.Tensor, tf.Tensor][]): tf.NamedTensorMap {
  const inputs: tf.NamedTensorMap = {};
  pairs.forEach(([a, b], i) => {
    inputs[`a${i}`] = a;
    inputs[`b${i}`] = b;
  });
  return inputs;
}

/** a[i] and b[i] float32 and of one shape for every i, and some: what a kernel over pairs takes. */
export function pairsFusable(a: tf.Tensor[], b: tf.Tensor[]): boolean {
  return a.length > 0 && a.every((t, i) => sameFloat32Shape(t, b[i]));
}

/** Runs a kernel over the pairs (a[i], b[i]) (inputs a0, b0, …, and `scalars` beside them): one output per pair. */
export function runPairKernel(kernelName: string, a: tf.Tensor[], b: tf.Tensor[], attrs: object = {}, scalars: tf.NamedTensorMap = {}): tf.Tensor[] {
  const result = tf.engine().runKernel(kernelName, { ...scalars, ...pairInputs(a.map((t, i) => [t, b[i]])) }, attrs as tf.NamedAttrMap);
  return Array.isArray(result) ? result : [result as tf.Tensor];
}

/** Both float32 and of one shape: what the elementwise fused kernels take. */
export function sameFloat32Shape(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.dtype === 'float32' && b.dtype === 'float32' && tf.util.arraysEqual(a.shape, b.shape);
}
