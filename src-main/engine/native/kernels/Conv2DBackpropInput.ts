import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';
import { convolutionInfo, hasShape, windowGeometry } from '../windowGeometry';

/** The input cotangent of a convolution: dy times the filter's transpose, then col2im. */
export const conv2dBackpropInputConfig = nativeKernel(
  tf.Conv2DBackpropInput,
  ({ inputs, attrs, backend }: NativeKernelArgs<tf.Conv2DBackpropInputAttrs>, addon) => {
    const { dy, filter } = inputs;
    const dyValues = float32Values(backend, dy);
    const filterValues = float32Values(backend, filter);
    if (!dy || !filter || !dyValues || !filterValues || filter.shape.length !== 4 || attrs.inputShape.length !== 4) return null;
    const info = convolutionInfo(attrs.inputShape, filter.shape, attrs);
    const g = windowGeometry(info);
    if (!g || !hasShape(dy, info.outShape) || info.inChannels !== filter.shape[2]) return null;
    const dx = outputArray(backend, sizeOf(attrs.inputShape));
    addon.conv2dBackpropInput(dyValues, filterValues, dx, g);
    return backend.makeTensorInfo(attrs.inputShape, 'float32', dx);
  },
);
