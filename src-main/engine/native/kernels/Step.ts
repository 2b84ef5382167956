import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray } from '../tensorData';

/** 1 where x > 0, alpha elsewhere, NaN for NaN: the derivative of ReLU that the engine multiplies by. */
export const stepConfig = nativeKernel(tf.Step, ({ inputs, attrs, backend }: NativeKernelArgs<tf.StepAttrs>, addon) => {
  const { x } = inputs;
  const xValues = float32Values(backend, x);
  if (!x || !xValues) return null;
  const out = outputArray(backend, xValues.length);
  addon.step(xValues, out, attrs.alpha ?? 0);
  return backend.makeTensorInfo(x.shape, 'float32', out);
});
