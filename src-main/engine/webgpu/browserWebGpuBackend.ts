import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BackendReport } from '../backend';
import { tf } from '../tf';
import { describeAdapter } from './adapterKind';
import { cacheDispatches } from './cachedDispatch';
import { countGpuWork } from './gpuCounters';
import { registerWebGpuKernels } from './kernels/registerWebGpuKernels';
import type { WebGpuLoadOptions } from './loadWebGpuBackend';
import { adapterInfo, configureWebGpuFlags, requestWebGpuDevice, softwareRefusal, summarizeFoundAdapter, WebGpuUnavailableError } from './webGpuDevice';

/** The candidate's name in the report's attempts. */
const CANDIDATE = "webgpu (Chromium's WebGPU)";

/**
 * TF.js's `webgpu` backend on a page's own WebGPU (`navigator.gpu`): the engine in a Chromium page,
 * where the desktop app trains on the GPU, since Dawn's Node binding cannot run inside Electron. As in
 * Node (loadWebGpuBackend.ts): the high-performance adapter, refused when it is a CPU unless allowed, the
 * device with the adapter's full limits, its work counted (gpuCounters.ts), and the backend registered
 * on that device with CurveLab's own WGSL kernels (kernels/). A page has the WebGPU globals the package
 * needs. Its synchronous read goes through a canvas: slow, and on SwiftShader it read zeros, so nothing
 * on the trainer's path reads synchronously (e2e/gpuPageTraining), and one that did would throw here
 * rather than train on wrong numbers (optimizers that must read each step train elsewhere: readsEachStep).
 *
 * Fails with a WebGpuUnavailableError: `no-adapter` (no `navigator.gpu`, or no adapter),
 * `software-adapter`, or `setup-failed`. Returns the report the trainer's events carry.
 */
export async function loadBrowserWebGpuBackend(options: WebGpuLoadOptions): Promise<BackendReport> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) throw new WebGpuUnavailableError('no-adapter', 'no GPU adapter in Chromium: the page has no WebGPU (navigator.gpu)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError('no-adapter', 'no GPU adapter in Chromium');
  const summary = summarizeFoundAdapter(adapter);
  if (summary.isSoftware && !options.allowSoftwareAdapter) throw softwareRefusal(summary);
  try {
    const device = await requestWebGpuDevice(adapter);
    countGpuWork(device);
    // The package registers its own factory on import where navigator.gpu exists; replace it with one on this device.
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    const info = adapterInfo(adapter);
    tf.registerBackend('webgpu', () => new PageWebGpuBackend(device, info), 3);
    registerWebGpuKernels();
    configureWebGpuFlags();
    if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') failed");
    await tf.ready();
  } catch (error) {
    throw new WebGpuUnavailableError('setup-failed', `webgpu failed to start in Chromium: ${error instanceof Error ? error.message : String(error)}`);
  }
  const detail = `webgpu on ${describeAdapter(summary)} through Chromium's WebGPU`;
  return { name: tf.getBackend(), reason: detail, attempts: [{ candidate: CANDIDATE, ok: true, detail }] };
}

type DataId = Parameters<WebGPUBackend['readSync']>[0];

/**
 * TF.js's backend, refusing a synchronous read of values still on the GPU (see above), its dispatches
 * recorded with cached uniform buffers and bind groups (cachedDispatch.ts).
 */
class PageWebGpuBackend extends WebGPUBackend {
  override readSync(dataId: DataId): ReturnType<WebGPUBackend['readSync']> {
    if (this.tensorMap.get(dataId)?.values == null) {
      throw new Error('a synchronous read from the GPU in a page, which cannot wait for its GPU: the engine must read with data() here');
    }
    return super.readSync(dataId);
  }
}
cacheDispatches(PageWebGpuBackend);
