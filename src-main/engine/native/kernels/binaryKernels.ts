import { tf } from '../../tf';
import type { BinaryOpName } from '../nativeAddon';
import { nativeKernel } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';

/**
 * Float32 arithmetic with broadcasting. TF.js's CPU kernels work out every broadcast element's indices
 * in JavaScript, which makes a bias add over a batch of images cost milliseconds; the addon walks the
 * broadcast strides instead. Other dtypes (and mixed ones, which TF.js upcasts) go to TF.js.
 */
function binaryKernel(kernelName: string, op: BinaryOpName): tf.KernelConfig {
  return nativeKernel<Record<string, never>>(kernelName, ({ inputs, backend }, addon) => {
    const { a, b } = inputs;
    const aValues = float32Values(backend, a);
    const bValues = float32Values(backend, b);
    if (!a || !b || !aValues || !bValues) return null;
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = outputArray(backend, sizeOf(outShape));
    addon.binary(op, aValues, a.shape, bValues, b.shape, out, outShape);
    return backend.makeTensorInfo(outShape, 'float32', out);
  });
}

export const addConfig = binaryKernel(tf.Add, 'add');
export const subConfig = binaryKernel(tf.Sub, 'sub');
export const multiplyConfig = binaryKernel(tf.Multiply, 'mul');
export const realDivConfig = binaryKernel(tf.RealDiv, 'div');
