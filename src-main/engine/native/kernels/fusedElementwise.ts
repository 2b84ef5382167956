import { fusedKernelNames, type AxpbyAttrs } from '../../fused/fusedOps';
import type { tf } from '../../tf';
import { loadNativeAddon } from '../nativeAddon';
import { NATIVE_BACKEND, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray } from '../tensorData';

/**
 * The elementwise fused kernels (see fused/fusedOps.ts). They have no TF.js kernel to fall back to: the
 * ops call them only with float32 inputs of one shape, and anything else is a bug that throws here.
 */
function fusedKernel<Attrs>(kernelName: string, run: (args: NativeKernelArgs<Attrs>) => tf.TensorInfo): tf.KernelConfig {
  return { kernelName, backendName: NATIVE_BACKEND, kernelFunc: (args) => run(args as unknown as NativeKernelArgs<Attrs>) };
}

/** The values of two float32 tensors of one size, and the first one's shape. */
function pairValues(
  kernelName: string,
  { backend }: NativeKernelArgs<unknown>,
  a: tf.TensorInfo | undefined,
  b: tf.TensorInfo | undefined,
): [Float32Array, Float32Array, number[]] {
  const aValues = float32Values(backend, a);
  const bValues = float32Values(backend, b);
  if (!a || !aValues || !bValues || aValues.length !== bValues.length) throw new Error(`${kernelName} takes float32 tensors of one shape`);
  return [aValues, bValues, a.shape];
}

/** Inputs a0, b0, a1, b1, …: one output alpha·a_i + beta·b_i per pair. */
export const axpbyConfig: tf.KernelConfig = {
  kernelName: fusedKernelNames.axpby,
  backendName: NATIVE_BACKEND,
  kernelFunc: (kernelArgs) => {
    const args = kernelArgs as unknown as NativeKernelArgs<AxpbyAttrs>;
    const { inputs, attrs, backend } = args;
    const outputs: tf.TensorInfo[] = [];
    for (let i = 0; i < Object.keys(inputs).length / 2; i++) {
      const [a, b, shape] = pairValues(fusedKernelNames.axpby, args, inputs[`a${i}`], inputs[`b${i}`]);
      const out = outputArray(backend, a.length);
      loadNativeAddon().axpby(attrs.alpha, a, attrs.beta, b, out);
      outputs.push(backend.makeTensorInfo(shape, 'float32', out));
    }
    return outputs;
  },
};

export const reluDerivativeTimesConfig = fusedKernel<Record<string, never>>(fusedKernelNames.reluDerivativeTimes, (args) => {
  const { inputs, backend } = args;
  const [y, dy, shape] = pairValues(fusedKernelNames.reluDerivativeTimes, args, inputs.y, inputs.dy);
  const out = outputArray(backend, y.length);
  loadNativeAddon().reluDerivativeTimes(y, dy, out);
  return backend.makeTensorInfo(shape, 'float32', out);
});

/**
 * Inputs a0, b0, a1, b1, …: one float64-accumulated inner product per pair, as float32 [pairs]. Pairs
 * over arrays of one length go to the addon together, which reads an array shared by several of them
 * (the same tensor, as in ⟨z, z⟩ and ⟨dz, z⟩) once.
 */
export const innerProductsConfig = fusedKernel<Record<string, never>>(fusedKernelNames.innerProducts, (args) => {
  const { inputs, backend } = args;
  const pairCount = Object.keys(inputs).length / 2;
  const groups = new Map<number, { arrays: Float32Array[]; pairs: number[]; outputs: number[] }>();
  for (let i = 0; i < pairCount; i++) {
    const [a, b] = pairValues(fusedKernelNames.innerProducts, args, inputs[`a${i}`], inputs[`b${i}`]);
    let group = groups.get(a.length);
    if (!group) groups.set(a.length, (group = { arrays: [], pairs: [], outputs: [] }));
    for (const values of [a, b]) {
      let index = group.arrays.indexOf(values);
      if (index < 0) index = group.arrays.push(values) - 1;
      group.pairs.push(index);
    }
    group.outputs.push(i);
  }
  const out = new Float32Array(pairCount);
  for (const group of groups.values()) {
    const sums = new Float64Array(group.outputs.length);
    loadNativeAddon().innerProducts(group.arrays, Int32Array.from(group.pairs), sums);
    group.outputs.forEach((output, k) => (out[output] = sums[k]));
  }
  return backend.makeTensorInfo([pairCount], 'float32', out);
});
