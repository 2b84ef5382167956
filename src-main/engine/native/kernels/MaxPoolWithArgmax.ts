import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, outputInt32Array, sizeOf } from '../tensorData';
import { poolGeometry } from './poolGeometry';

/**
 * Max pooling that also returns each maximum's flat NHWC index in the input (with the batch term when
 * includeBatchInIndex): the engine's max-pool layer keeps it for its forward-mode product.
 */
export const maxPoolWithArgmaxConfig = nativeKernel(
  tf.MaxPoolWithArgmax,
  ({ inputs, attrs, backend }: NativeKernelArgs<tf.MaxPoolWithArgmaxAttrs>, addon) => {
    const { x } = inputs;
    const xValues = float32Values(backend, x);
    if (!x || !xValues) return null;
    const pool = poolGeometry(x.shape, attrs.filterSize, attrs.strides, attrs.pad);
    if (!pool) return null;
    const out = outputArray(backend, sizeOf(pool.outShape));
    const argmax = outputInt32Array(backend, out.length);
    addon.maxPool(xValues, out, argmax, pool.geometry, attrs.includeBatchInIndex);
    return [backend.makeTensorInfo(pool.outShape, 'float32', out), backend.makeTensorInfo(pool.outShape, 'int32', argmax)];
  },
);
