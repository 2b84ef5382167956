import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';
import { hasShape } from '../windowGeometry';
import { poolGeometry } from './poolGeometry';

/**
 * The reference CPU kernel's AvgPoolGrad: dy / (window size) spread over each window's real inputs. Where
 * 'same' padding cuts windows short this is not the adjoint of AvgPool (the engine's avgPoolGrad, in
 * ops/pooling.ts, works around that); it is kept so that this backend gives what `cpu` gives.
 */
export const avgPoolGradConfig = nativeKernel(tf.AvgPoolGrad, ({ inputs, attrs, backend }: NativeKernelArgs<tf.AvgPoolGradAttrs>, addon) => {
  const { dy, input } = inputs;
  const dyValues = float32Values(backend, dy);
  if (!dy || !input || !dyValues) return null;
  const pool = poolGeometry(input.shape, attrs.filterSize, attrs.strides, attrs.pad);
  if (!pool || !hasShape(dy, pool.outShape)) return null;
  const dx = outputArray(backend, sizeOf(input.shape));
  addon.avgPoolGrad(dyValues, dx, pool.geometry);
  return backend.makeTensorInfo(input.shape, 'float32', dx);
});
