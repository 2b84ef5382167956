import { tf } from '../tf';
import type { WindowGeometry } from './nativeAddon';

/**
 * The addon's geometry for a convolution or pooling that TF.js has worked out (computeConv2DInfo /
 * computePool2DInfo, which settle 'same', 'valid', explicit padding and rounding), or null for what the
 * native kernels do not do: dilation, NCHW data, empty tensors.
 */
export function windowGeometry(info: tf.backend_util.Conv2DInfo): WindowGeometry | null {
  if (info.dataFormat !== 'channelsLast' || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const g: WindowGeometry = {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
  const sizes = [g.batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.outChannels];
  return sizes.every((s) => Number.isInteger(s) && s > 0) ? g : null;
}

/** Whether a tensor has exactly the given shape. */
export function hasShape(t: tf.TensorInfo, shape: readonly number[]): boolean {
  return t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
}

/** The attributes the three convolution kernels share (the backprops have no dilations: 1). */
interface ConvolutionAttrs {
  strides: [number, number] | number;
  dilations?: [number, number] | number;
  pad: tf.Conv2DAttrs['pad'];
  dimRoundingMode?: tf.Conv2DAttrs['dimRoundingMode'];
  dataFormat: tf.Conv2DAttrs['dataFormat'];
}

/** TF.js's geometry of a convolution of `inputShape` by `filterShape`, as its own kernels compute it. */
export function convolutionInfo(inputShape: readonly number[], filterShape: readonly number[], attrs: ConvolutionAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}
