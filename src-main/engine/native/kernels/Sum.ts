import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray } from '../tensorData';
import { contiguousReduction } from './contiguousReduction';

/**
 * Sums over a contiguous run of axes (leading ones for bias gradients, the last for row sums) without the
 * transpose TF.js's kernel makes to bring the axes to the end. Other axis sets go to TF.js.
 */
export const sumConfig = nativeKernel(tf.Sum, ({ inputs, attrs, backend }: NativeKernelArgs<tf.SumAttrs>, addon) => {
  const { x } = inputs;
  const xValues = float32Values(backend, x);
  if (!x || !xValues || xValues.length === 0) return null;
  const layout = contiguousReduction(x.shape, attrs.axis, attrs.keepDims);
  if (!layout) return null;
  const out = outputArray(backend, layout.outer * layout.inner);
  addon.sum(xValues, out, layout.outer, layout.reduce, layout.inner);
  return backend.makeTensorInfo(layout.outShape, 'float32', out);
});
