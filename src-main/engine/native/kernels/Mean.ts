import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray } from '../tensorData';
import { contiguousReduction } from './contiguousReduction';

/**
 * Means over a contiguous run of axes: the native sum, scaled. Batch-norm's statistics over N, H and W
 * are the case that matters: TF.js's kernel transposes the whole activation to bring those axes last.
 */
export const meanConfig = nativeKernel(tf.Mean, ({ inputs, attrs, backend }: NativeKernelArgs<tf.MeanAttrs>, addon) => {
  const { x } = inputs;
  const xValues = float32Values(backend, x);
  if (!x || !xValues || xValues.length === 0) return null;
  const layout = contiguousReduction(x.shape, attrs.axis, attrs.keepDims);
  if (!layout) return null;
  const out = outputArray(backend, layout.outer * layout.inner);
  addon.sum(xValues, out, layout.outer, layout.reduce, layout.inner);
  for (let i = 0; i < out.length; i++) out[i] /= layout.reduce;
  return backend.makeTensorInfo(layout.outShape, 'float32', out);
});
