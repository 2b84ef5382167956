import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';
import { hasShape } from '../windowGeometry';
import { poolGeometry } from './poolGeometry';

/** Routes dy to the maximum of each window of the forward input (the first maximum, as TF.js's kernel). */
export const maxPoolGradConfig = nativeKernel(tf.MaxPoolGrad, ({ inputs, attrs, backend }: NativeKernelArgs<tf.MaxPoolGradAttrs>, addon) => {
  const { dy, input } = inputs;
  const dyValues = float32Values(backend, dy);
  const xValues = float32Values(backend, input);
  if (!dy || !input || !dyValues || !xValues) return null;
  const pool = poolGeometry(input.shape, attrs.filterSize, attrs.strides, attrs.pad, attrs.dimRoundingMode);
  if (!pool || !hasShape(dy, pool.outShape)) return null;
  const dx = outputArray(backend, sizeOf(input.shape));
  addon.maxPoolGrad(dyValues, xValues, dx, pool.geometry);
  return backend.makeTensorInfo(input.shape, 'float32', dx);
});
