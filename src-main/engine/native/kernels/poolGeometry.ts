import { tf } from '../../tf';
import type { WindowGeometry } from '../nativeAddon';
import { windowGeometry } from '../windowGeometry';

type PoolPadding = tf.MaxPoolAttrs['pad'];

/** TF.js's pooling window over an NHWC input, as the addon takes it; null where the native kernels do not apply. */
export function poolGeometry(
  inputShape: number[],
  filterSize: [number, number] | number,
  strides: [number, number] | number,
  pad: PoolPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): { geometry: WindowGeometry; outShape: [number, number, number, number] } | null {
  if (inputShape.length !== 4) return null;
  const info = tf.backend_util.computePool2DInfo(inputShape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const geometry = windowGeometry(info);
  return geometry ? { geometry, outShape: info.outShape } : null;
}
