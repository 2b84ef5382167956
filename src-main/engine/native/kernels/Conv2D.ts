import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray } from '../tensorData';
import { convolutionInfo, windowGeometry } from '../windowGeometry';

/** 2-D convolution, NHWC, dilation 1: im2col and one BLAS product per chunk of images. */
export const conv2dConfig = nativeKernel(tf.Conv2D, ({ inputs, attrs, backend }: NativeKernelArgs<tf.Conv2DAttrs>, addon) => {
  const { x, filter } = inputs;
  const xValues = float32Values(backend, x);
  const filterValues = float32Values(backend, filter);
  if (!x || !filter || !xValues || !filterValues || x.shape.length !== 4 || filter.shape.length !== 4) return null;
  const info = convolutionInfo(x.shape, filter.shape, attrs);
  const g = windowGeometry(info);
  if (!g || info.inChannels !== filter.shape[2]) return null;
  const out = outputArray(backend, g.batch * g.outHeight * g.outWidth * g.outChannels);
  addon.conv2d(xValues, filterValues, out, g);
  return backend.makeTensorInfo(info.outShape, 'float32', out);
});
