import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { broadcastsWithoutGrowing, float32Values, outputArray } from '../tensorData';
import { convolutionInfo, windowGeometry } from '../windowGeometry';
import { addBiasAndActivate, nativeActivation } from './fusedEpilogue';

/**
 * tf.fused.conv2d: the convolution, then the bias (per channel, or of the output's shape, as the conv
 * JVP passes it) and a ReLU or no activation, all in the convolution's own array. Other activations go
 * to TF.js's kernel.
 */
export const fusedConv2dConfig = nativeKernel(tf.FusedConv2D, ({ inputs, attrs, backend }: NativeKernelArgs<tf.FusedConv2DAttrs>, addon) => {
  const { x, filter, bias, preluActivationWeights } = inputs;
  const activation = nativeActivation(attrs.activation, preluActivationWeights);
  if (!activation) return null;
  const xValues = float32Values(backend, x);
  const filterValues = float32Values(backend, filter);
  const biasValues = bias ? float32Values(backend, bias) : null;
  if (!x || !filter || !xValues || !filterValues || (bias && !biasValues) || x.shape.length !== 4 || filter.shape.length !== 4) return null;
  const info = convolutionInfo(x.shape, filter.shape, attrs);
  const g = windowGeometry(info);
  if (!g || info.inChannels !== filter.shape[2]) return null;
  if (bias && !broadcastsWithoutGrowing(bias.shape, info.outShape)) return null;
  const out = outputArray(backend, g.batch * g.outHeight * g.outWidth * g.outChannels);
  addon.conv2d(xValues, filterValues, out, g);
  addBiasAndActivate(addon, out, info.outShape, bias && biasValues ? { values: biasValues, shape: bias.shape } : null, activation);
  return backend.makeTensorInfo(info.outShape, 'float32', out);
});
