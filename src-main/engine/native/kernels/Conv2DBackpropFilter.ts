import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';
import { convolutionInfo, hasShape, windowGeometry } from '../windowGeometry';

/** The filter cotangent of a convolution: im2col(x)ᵀ · dy, summed over chunks of the batch. */
export const conv2dBackpropFilterConfig = nativeKernel(
  tf.Conv2DBackpropFilter,
  ({ inputs, attrs, backend }: NativeKernelArgs<tf.Conv2DBackpropFilterAttrs>, addon) => {
    const { x, dy } = inputs;
    const xValues = float32Values(backend, x);
    const dyValues = float32Values(backend, dy);
    if (!x || !dy || !xValues || !dyValues || x.shape.length !== 4 || attrs.filterShape.length !== 4) return null;
    const info = convolutionInfo(x.shape, attrs.filterShape, attrs);
    const g = windowGeometry(info);
    if (!g || !hasShape(dy, info.outShape) || info.inChannels !== attrs.filterShape[2]) return null;
    const dw = outputArray(backend, sizeOf(attrs.filterShape));
    addon.conv2dBackpropFilter(xValues, dyValues, dw, g);
    return backend.makeTensorInfo(attrs.filterShape, 'float32', dw);
  },
);
