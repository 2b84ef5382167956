import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';
import { poolGeometry } from './poolGeometry';

/** Average pooling: the mean of the real (unpadded) inputs of each window, as TF does. */
export const avgPoolConfig = nativeKernel(tf.AvgPool, ({ inputs, attrs, backend }: NativeKernelArgs<tf.AvgPoolAttrs>, addon) => {
  const { x } = inputs;
  const xValues = float32Values(backend, x);
  if (!x || !xValues) return null;
  const pool = poolGeometry(x.shape, attrs.filterSize, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  if (!pool) return null;
  const out = outputArray(backend, sizeOf(pool.outShape));
  addon.avgPool(xValues, out, pool.geometry);
  return backend.makeTensorInfo(pool.outShape, 'float32', out);
});
