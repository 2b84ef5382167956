import { fusedKernelNames } from '../../ops';
import { fusedKernel } from '../nativeKernel';
import { float32Values, int32Values } from '../tensorData';

/**
 * Softmax cross-entropy's fused kernels, in plain JavaScript: the logits [N, C] are small next to
 * everything else in a step, and the composite ops they replace (softmaxCrossEntropy.ts) are some
 * twenty dispatches of tiny kernels per call.
 */

/**
 * Logits [N, C] and int32 labels [N] → [loss, accuracy] (float32 [2]) and dL/dlogits [N, C]. A label
 * outside [0, C) adds nothing to the loss, and its row's gradient is softmax/N, as with tf.oneHot.
 */
export const softmaxCrossEntropyConfig = fusedKernel<Record<string, never>>(fusedKernelNames.softmaxCrossEntropy, ({ inputs, backend }) => {
  const { logits, labels } = inputs;
  const y = float32Values(backend, logits);
  const label = int32Values(backend, labels);
  if (!logits || !y || !label || logits.shape.length !== 2 || labels?.shape.length !== 1 || label.length !== logits.shape[0]) {
    throw new Error(`${fusedKernelNames.softmaxCrossEntropy} takes float32 logits [N, C] and int32 labels [N]`);
  }
  const [n, c] = logits.shape;
  const gradient = new Float32Array(n * c);
  const p = new Float64Array(c);
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = i * c;
    const { max, argMax, logSum } = softmaxRow(y, row, c, p);
    const l = label[i];
    if (l >= 0 && l < c) {
      lossSum -= y[row + l] - max - logSum;
      if (argMax === l) correct++;
    }
    for (let j = 0; j < c; j++) gradient[row + j] = (p[j] - (j === l ? 1 : 0)) / n;
  }
  const numbers = Float32Array.of(lossSum / n, correct / n);
  return [backend.makeTensorInfo([2], 'float32', numbers), backend.makeTensorInfo([n, c], 'float32', gradient)];
});

/** Logits [N, C] and v [N, C] → H_L·v = (p⊙v − p⊙rowsum(p⊙v)) / N, p = softmax(logits). */
export const softmaxCrossEntropyHessianVectorConfig = fusedKernel<Record<string, never>>(fusedKernelNames.softmaxCrossEntropyHessianVector, ({ inputs, backend }) => {
  const { logits, v } = inputs;
  const y = float32Values(backend, logits);
  const vValues = float32Values(backend, v);
  if (!logits || !y || !vValues || logits.shape.length !== 2 || vValues.length !== y.length) {
    throw new Error(`${fusedKernelNames.softmaxCrossEntropyHessianVector} takes float32 logits [N, C] and v of the same shape`);
  }
  const [n, c] = logits.shape;
  const out = new Float32Array(n * c);
  const p = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    const row = i * c;
    softmaxRow(y, row, c, p);
    let pv = 0;
    for (let j = 0; j < c; j++) pv += p[j] * vValues[row + j];
    for (let j = 0; j < c; j++) out[row + j] = (p[j] * (vValues[row + j] - pv)) / n;
  }
  return backend.makeTensorInfo([n, c], 'float32', out);
});

/**
 * softmax of one row into p (float64), shifted by the row's maximum so that exp never overflows; the
 * maximum's first index (tf.argMax's tie rule) and log Σ exp(y − max). A NaN logit, or an infinite one
 * through ∞ − ∞, makes the row NaN.
 */
function softmaxRow(y: Float32Array, row: number, c: number, p: Float64Array): { max: number; argMax: number; logSum: number } {
  let max = y[row];
  let argMax = 0;
  for (let j = 1; j < c; j++) {
    if (y[row + j] > max) {
      max = y[row + j];
      argMax = j;
    }
  }
  let sum = 0;
  for (let j = 0; j < c; j++) {
    p[j] = Math.exp(y[row + j] - max);
    sum += p[j];
  }
  for (let j = 0; j < c; j++) p[j] /= sum;
  return { max, argMax, logSum: Math.log(sum) };
}
