import { fusedKernelNames, type AxpbyAttrs, type AxpbySquareAttrs, type DivideByRootAttrs } from '../../ops';
import type { tf } from '../../tf';
import { loadNativeAddon } from '../nativeAddon';
import { fusedKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray } from '../tensorData';

// The elementwise fused kernels (see ops/fusedKernels.ts): float32 inputs of one shape, or they throw.

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

/** The pairs of a kernel whose inputs are a0, b0, a1, b1, … (ops/fusedKernels.ts, pairInputs). */
function inputPairs(kernelName: string, args: NativeKernelArgs<unknown>): [Float32Array, Float32Array, number[]][] {
  const count = Object.keys(args.inputs).length / 2;
  return Array.from({ length: count }, (_, i) => pairValues(kernelName, args, args.inputs[`a${i}`], args.inputs[`b${i}`]));
}

/** Inputs a0, b0, a1, b1, …: one output of a_i's shape per pair, which `fill` writes from a_i and b_i. */
function pairwiseKernel<Attrs>(kernelName: string, fill: (attrs: Attrs, a: Float32Array, b: Float32Array, out: Float32Array) => void): tf.KernelConfig {
  return fusedKernel<Attrs>(kernelName, (args) =>
    inputPairs(kernelName, args).map(([a, b, shape]) => {
      const out = outputArray(args.backend, a.length);
      fill(args.attrs, a, b, out);
      return args.backend.makeTensorInfo(shape, 'float32', out);
    }),
  );
}

/** alpha·a_i + beta·b_i per pair. */
export const axpbyConfig = pairwiseKernel<AxpbyAttrs>(fusedKernelNames.axpby, ({ alpha, beta }, a, b, out) => loadNativeAddon().axpby(alpha, a, beta, b, out));

/** alpha·a_i + beta·b_i² per pair. */
export const axpbySquareConfig = pairwiseKernel<AxpbySquareAttrs>(fusedKernelNames.axpbySquare, ({ alpha, beta }, a, b, out) =>
  loadNativeAddon().axpbySquare(alpha, a, beta, b, out),
);

/** a_i/(√b_i + epsilon) per pair. */
export const divideByRootConfig = pairwiseKernel<DivideByRootAttrs>(fusedKernelNames.divideByRoot, ({ epsilon }, a, b, out) =>
  loadNativeAddon().divideByRoot(a, b, epsilon, out),
);

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
  const pairs = inputPairs(fusedKernelNames.innerProducts, args);
  const groups = new Map<number, { arrays: Float32Array[]; pairs: number[]; outputs: number[] }>();
  pairs.forEach(([a, b], i) => {
    let group = groups.get(a.length);
    if (!group) groups.set(a.length, (group = { arrays: [], pairs: [], outputs: [] }));
    for (const values of [a, b]) {
      let index = group.arrays.indexOf(values);
      if (index < 0) index = group.arrays.push(values) - 1;
      group.pairs.push(index);
    }
    group.outputs.push(i);
  });
  const out = new Float32Array(pairs.length);
  for (const group of groups.values()) {
    const sums = new Float64Array(group.outputs.length);
    loadNativeAddon().innerProducts(group.arrays, Int32Array.from(group.pairs), sums);
    group.outputs.forEach((output, k) => (out[output] = sums[k]));
  }
  return args.backend.makeTensorInfo([pairs.length], 'float32', out);
});
