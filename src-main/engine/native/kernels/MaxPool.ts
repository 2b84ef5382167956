import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';
import { poolGeometry } from './poolGeometry';

/** Max pooling over the real inputs of each window. */
export const maxPoolConfig = nativeKernel(tf.MaxPool, ({ inputs, attrs, backend }: NativeKernelArgs<tf.MaxPoolAttrs>, addon) => {
  const { x } = inputs;
  const xValues = float32Values(backend, x);
  if (!x || !xValues) return null;
  const pool = poolGeometry(x.shape, attrs.filterSize, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  if (!pool) return null;
  const out = outputArray(backend, sizeOf(pool.outShape));
  addon.maxPool(xValues, out, null, pool.geometry, false);
  return backend.makeTensorInfo(pool.outShape, 'float32', out);
});
