import { tf } from '../tf';
import type { Padding } from '../../shared/modelSpec';
import { hasFusedKernel } from './fusedKernels';
import { runKernel } from './runKernel';
import { windowInputCounts, windowPadding } from './slidingWindow';

type HeightWidth = [number, number];

/**
 * The kernel a GPU backend may register for maxPoolGrad given the forward pass's argmax (inputs dy and
 * argmax; attributes MaxPoolGradAtArgmaxAttrs): TF.js's MaxPoolGrad finds each window's maximum again
 * from the input and output, a pass and a dispatch more.
 */
export const maxPoolGradAtArgmaxKernelName = 'CurvelabMaxPoolGradAtArgmax';

/** The forward pass's geometry: the input's NHWC shape, and its padding before the first row and column. */
export interface MaxPoolGradAtArgmaxAttrs {
  inputShape: number[];
  filterSize: HeightWidth;
  strides: HeightWidth;
  padBefore: HeightWidth;
}

/**
 * Routes dy to the argmax of each max-pool window (input, output and argmax of the forward pass given):
 * each input gets the sum of dy over the windows whose maximum it is. With the argmax on a backend that
 * has the kernel above, in one pass from it.
 */
export function maxPoolGrad(
  dy: tf.Tensor,
  forward: { input: tf.Tensor; output: tf.Tensor; argmax?: tf.Tensor },
  filterSize: HeightWidth,
  strides: HeightWidth,
  pad: Padding,
): tf.Tensor {
  const { input, output, argmax } = forward;
  if (argmax && dy.dtype === 'float32' && argmax.dtype === 'int32' && hasFusedKernel(maxPoolGradAtArgmaxKernelName)) {
    const [, h, w] = input.shape;
    const padBefore: HeightWidth = [windowPadding(h, filterSize[0], strides[0], pad).before, windowPadding(w, filterSize[1], strides[1], pad).before];
    const attrs: MaxPoolGradAtArgmaxAttrs = { inputShape: input.shape, filterSize, strides, padBefore };
    return runKernel(maxPoolGradAtArgmaxKernelName, { dy, argmax }, attrs as unknown as Record<string, unknown>);
  }
  return runKernel('MaxPoolGrad', { dy, input, output }, { filterSize, strides, pad, dimRoundingMode: undefined });
}

/**
 * The adjoint of tf.avgPool: each output's cotangent spread evenly over the real (unpadded) inputs of its
 * window, as the forward averages over them. Backends disagree where 'same' padding cuts a window short
 * (TF.js's CPU AvgPoolGrad divides by the full window size there, which is not the adjoint), so such
 * cases go through 'valid' windows, where all agree: rescale dy by (window size / real inputs), pull it
 * back through full windows over the explicitly padded input, and crop the padding off again.
 */
export function avgPoolGrad(dy: tf.Tensor, input: tf.Tensor, filterSize: HeightWidth, strides: HeightWidth, pad: Padding): tf.Tensor {
  const pullBack = (cotangent: tf.Tensor, x: tf.Tensor, p: Padding) =>
    runKernel<tf.Tensor>('AvgPoolGrad', { dy: cotangent, input: x }, { filterSize, strides, pad: p, dimRoundingMode: undefined });
  const [n, h, w, c] = input.shape;
  const rows = windowPadding(h, filterSize[0], strides[0], pad);
  const cols = windowPadding(w, filterSize[1], strides[1], pad);
  if (rows.before + rows.after + cols.before + cols.after === 0) return pullBack(dy, input, pad);
  return tf.tidy(() => {
    const rowCounts = windowInputCounts(h, filterSize[0], strides[0], pad);
    const colCounts = windowInputCounts(w, filterSize[1], strides[1], pad);
    const windowSize = filterSize[0] * filterSize[1];
    const scale = Float32Array.from(rowCounts.flatMap((r) => colCounts.map((k) => windowSize / (r * k))));
    const scaled = tf.mul(dy, tf.tensor4d(scale, [1, rowCounts.length, colCounts.length, 1]));
    // AvgPoolGrad reads only the shape of its `input`.
    const padded = tf.zeros([n, rows.before + h + rows.after, cols.before + w + cols.after, c]);
    return tf.slice(pullBack(scaled, padded, 'valid'), [0, rows.before, cols.before, 0], [n, h, w, c]);
  });
}

/**
 * Max pooling that also returns, for every output, the flat index of its maximum in the whole NHWC
 * input ((b·H + h)·W + w)·C + c, so forward-mode can gather the input tangent there.
 */
export function maxPoolWithArgmax(x: tf.Tensor, filterSize: HeightWidth, strides: HeightWidth, pad: Padding): { output: tf.Tensor; argmax: tf.Tensor } {
  const [output, argmax] = runKernel<tf.Tensor[]>('MaxPoolWithArgmax', { x }, { filterSize, strides, pad, includeBatchInIndex: true });
  return { output, argmax };
}
