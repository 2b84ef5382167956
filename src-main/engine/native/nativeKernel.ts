import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf';
import { loadNativeAddon, type NativeAddon } from './nativeAddon';

export const NATIVE_BACKEND = 'cpu-blas';

/** What a native kernel function receives: TF.js's kernel arguments, with the backend typed. */
export interface NativeKernelArgs<Attrs> {
  inputs: tf.NamedTensorInfoMap;
  attrs: Attrs;
  backend: MathBackendCPU;
}

/**
 * A kernel of the `cpu-blas` backend: `run` does the work natively and returns null for any case it
 * does not handle (a dtype, layout or attribute it does not support), which then goes to TF.js's own
 * `cpu` kernel of the same name, on the same backend instance.
 */
export function nativeKernel<Attrs>(
  kernelName: string,
  run: (args: NativeKernelArgs<Attrs>, addon: NativeAddon) => tf.TensorInfo | tf.TensorInfo[] | null,
): tf.KernelConfig {
  let fallback: tf.KernelFunc | null = null;
  return {
    kernelName,
    backendName: NATIVE_BACKEND,
    kernelFunc: (args) => {
      const result = run(args as unknown as NativeKernelArgs<Attrs>, loadNativeAddon());
      if (result) return result;
      fallback ??= tf.getKernel(kernelName, 'cpu').kernelFunc;
      return fallback(args);
    },
  };
}

/**
 * A kernel of the engine's own fused operations (ops/fusedKernels.ts), which only `cpu-blas` has. There is
 * no TF.js kernel to fall back to: the ops call it only with inputs it takes, and anything else is a bug
 * that `run` reports by throwing.
 */
export function fusedKernel<Attrs>(
  kernelName: string,
  run: (args: NativeKernelArgs<Attrs>) => tf.TensorInfo | tf.TensorInfo[],
): tf.KernelConfig {
  return { kernelName, backendName: NATIVE_BACKEND, kernelFunc: (args) => run(args as unknown as NativeKernelArgs<Attrs>) };
}
