import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, int32Values, outputArray, sizeOf } from '../tensorData';

/**
 * tf.gather of float32 slices along one axis without batch dimensions: what the engine's max-pool
 * forward-mode product does with every tangent. A bad index goes to TF.js's kernel, which reports it.
 */
export const gatherV2Config = nativeKernel(tf.GatherV2, ({ inputs, attrs, backend }: NativeKernelArgs<tf.GatherV2Attrs>, addon) => {
  const { x, indices } = inputs;
  const xValues = float32Values(backend, x);
  const indexValues = int32Values(backend, indices);
  if (!x || !indices || !xValues || !indexValues || x.shape.length === 0) return null;
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  if ((attrs.batchDims ?? 0) !== 0) return null;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = outputArray(backend, sizeOf(outShape));
  if (addon.gather(xValues, indexValues, out, outer, x.shape[axis], inner) >= 0) return null;
  return backend.makeTensorInfo(outShape, 'float32', out);
});
