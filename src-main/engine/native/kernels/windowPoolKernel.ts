import type { tf } from '../../tf';
import type { NativeAddon, WindowGeometry } from '../nativeAddon';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';
import { poolGeometry } from './poolGeometry';

/**
 * A forward pooling kernel (TF.js attributes filterSize, strides, pad, dimRoundingMode) over float32 NHWC
 * input, whose addon function `pool` writes the output of the given geometry.
 */
export function windowPoolKernel(
  kernelName: string,
  pool: (addon: NativeAddon, x: Float32Array, out: Float32Array, geometry: WindowGeometry) => void,
): tf.KernelConfig {
  return nativeKernel(kernelName, ({ inputs, attrs, backend }: NativeKernelArgs<tf.AvgPoolAttrs>, addon) => {
    const { x } = inputs;
    const xValues = float32Values(backend, x);
    if (!x || !xValues) return null;
    const window = poolGeometry(x.shape, attrs.filterSize, attrs.strides, attrs.pad, attrs.dimRoundingMode);
    if (!window) return null;
    const out = outputArray(backend, sizeOf(window.outShape));
    pool(addon, xValues, out, window.geometry);
    return backend.makeTensorInfo(window.outShape, 'float32', out);
  });
}
