import { tf } from '../tf';
import { loadNativeAddon } from './nativeAddon';
import { NativeCpuBackend } from './nativeCpuBackend';
import { NATIVE_BACKEND } from './nativeKernel';
import { nativeKernelConfigs } from './nativeKernels';

// The entry point of this folder for backend selection and `curvelab bench`.
export { measureGemmGflops } from './measureGemmGflops';
export { NativeAddonUnavailableError } from './nativeAddon';

export interface NativeBackendInfo {
  name: typeof NATIVE_BACKEND;
  /** The BLAS and the threads, e.g. "OpenBLAS 0.3.21 (Haswell), 2 threads". */
  detail: string;
}

/**
 * Registers the `cpu-blas` backend: TF.js's CPU backend (its tensor storage, with the native kernels'
 * outputs recycled, and all its kernels) with the heavy kernels replaced by native ones (nativeKernels.ts).
 * Select it with tf.setBackend('cpu-blas'); the rest of the engine runs on it unchanged. Throws
 * NativeAddonUnavailableError, saying what to install, when the addon is not built. Safe to call again.
 */
export async function loadNativeBackend(): Promise<NativeBackendInfo> {
  const addon = loadNativeAddon();
  if (!tf.findBackendFactory(NATIVE_BACKEND)) {
    // TF.js's own kernels (and the tensors the engine makes) still allocate a fresh array per output:
    // letting malloc reuse freed memory saves a page fault per 4 KB of each.
    addon.reuseFreedMemory();
    // Low priority: TF.js never picks it by itself; backend selection asks for it by name.
    tf.registerBackend(NATIVE_BACKEND, () => new NativeCpuBackend(), 0);
    const native = new Set(nativeKernelConfigs.map((k) => k.kernelName));
    for (const kernel of tf.getKernelsForBackend('cpu')) {
      if (!native.has(kernel.kernelName)) tf.registerKernel({ ...kernel, backendName: NATIVE_BACKEND });
    }
    for (const kernel of nativeKernelConfigs) tf.registerKernel(kernel);
  }
  const info = addon.info();
  const core = info.blasCore ? ` (${info.blasCore})` : '';
  return { name: NATIVE_BACKEND, detail: `${info.blas}${core}, ${info.blasThreads} threads` };
}
