import { tf } from '../../tf';
import { nativeKernel } from '../nativeKernel';
import { float32Values, outputArray } from '../tensorData';

/** max(x, 0) with TF.js's treatment of NaN and −0 (x < 0 ? 0 : x). */
export const reluConfig = nativeKernel<Record<string, never>>(tf.Relu, ({ inputs, backend }, addon) => {
  const { x } = inputs;
  const xValues = float32Values(backend, x);
  if (!x || !xValues) return null;
  const out = outputArray(backend, xValues.length);
  addon.relu(xValues, out);
  return backend.makeTensorInfo(x.shape, 'float32', out);
});
