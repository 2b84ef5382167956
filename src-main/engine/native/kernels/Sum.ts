import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';

/**
 * Sums over a contiguous run of axes (leading ones for bias gradients, the last for row sums) without the
 * transpose TF.js's kernel makes to bring the axes to the end. Other axis sets go to TF.js.
 */
export const sumConfig = nativeKernel(tf.Sum, ({ inputs, attrs, backend }: NativeKernelArgs<tf.SumAttrs>, addon) => {
  const { x } = inputs;
  const xValues = float32Values(backend, x);
  if (!x || !xValues || xValues.length === 0) return null;
  const axes = [...tf.util.parseAxisParam(attrs.axis, x.shape)].sort((p, q) => p - q);
  if (axes.length === 0 || axes.some((axis, i) => i > 0 && axis !== axes[i - 1] + 1)) return null;
  const first = axes[0];
  const last = axes[axes.length - 1];
  const outer = sizeOf(x.shape.slice(0, first));
  const reduce = sizeOf(x.shape.slice(first, last + 1));
  const inner = sizeOf(x.shape.slice(last + 1));
  const out = outputArray(backend, outer * inner);
  addon.sum(xValues, out, outer, reduce, inner);
  const kept = x.shape.filter((_, axis) => axis < first || axis > last);
  const outShape = attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(kept, axes) : kept;
  return backend.makeTensorInfo(outShape, 'float32', out);
});
