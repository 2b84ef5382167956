import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';

/**
 * Means over a contiguous run of axes: the native sum, scaled. Batch-norm's statistics over N, H and W
 * are the case that matters: TF.js's kernel transposes the whole activation to bring those axes last.
 */
export const meanConfig = nativeKernel(tf.Mean, ({ inputs, attrs, backend }: NativeKernelArgs<tf.MeanAttrs>, addon) => {
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
  for (let i = 0; i < out.length; i++) out[i] /= reduce;
  const kept = x.shape.filter((_, axis) => axis < first || axis > last);
  const outShape = attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(kept, axes) : kept;
  return backend.makeTensorInfo(outShape, 'float32', out);
});
