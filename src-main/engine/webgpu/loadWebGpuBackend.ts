import { tf } from '../tf';
import { describeAdapter, type WebGpuAdapterSummary } from './adapterKind';
import { installDawnEventPump, uninstallDawnEventPump } from './dawnEventPump';
import { countGpuWork } from './gpuCounters';
import { registerWebGpuKernels } from './kernels/registerWebGpuKernels';
import { defineNodeWebGpuBackend } from './nodeWebGpuBackend';
import { nvidiaEglDriverManifest, useDriverManifest } from './nvidiaHeadlessVulkan';
import { missingHardwareVulkanDriver } from './vulkanDrivers';
import { adapterInfo, configureWebGpuFlags, requestWebGpuDevice, softwareRefusal, summarizeFoundAdapter, WebGpuUnavailableError } from './webGpuDevice';

export { WebGpuUnavailableError, type WebGpuFailure } from './webGpuDevice';

/**
 * TF.js's `webgpu` backend in Node, on Dawn's Node binding (the `webgpu` npm package, prebuilt for
 * Linux/Vulkan, macOS/Metal and Windows/D3D12).
 *
 * Node globals this sets up while the backend is loaded (and `disposeWebGpu` takes away again):
 * - `navigator.gpu`: Dawn's GPU object. Node 20 has no `navigator`; where one exists (Node 21+,
 *   Electron) only `gpu` is added to it. @tensorflow/tfjs-backend-webgpu checks it is there.
 * - `GPUBufferUsage`, `GPUMapMode`, `GPUTextureUsage` (flag constants) and `GPUBuffer`, `GPUTexture`
 *   (classes, for `instanceof` when a tensor's memory is released): the WebGPU globals the backend's
 *   code reads, from Dawn's `globals`, each only where absent.
 * - a wrapper around `setImmediate` that lets `dataSync()` wait for the GPU (dawnEventPump.ts).
 * Nothing else (no `window`, `document` or `OffscreenCanvas`): the backend is registered here with the
 * adapter and device chosen here, rather than by the package's own browser-minded factory.
 *
 * On headless Linux with an NVIDIA GPU and no Vulkan driver variables set, a second try points the
 * Vulkan loader at NVIDIA's EGL driver (nvidiaHeadlessVulkan.ts); when that finds the GPU,
 * VK_DRIVER_FILES / VK_ICD_FILENAMES stay set for the rest of the process (and its children).
 */

export interface WebGpuBackendInfo {
  name: 'webgpu';
  adapter: WebGpuAdapterSummary;
  /** One line for reports, naming the adapter. */
  detail: string;
}

export interface WebGpuLoadOptions {
  /** Accept a software adapter (llvmpipe/lavapipe, SwiftShader): for tests only, never for selection. */
  allowSoftwareAdapter: boolean;
}

interface Loaded {
  info: WebGpuBackendInfo;
  device: GPUDevice;
  /** The globals this module added, to take away again. */
  added: string[];
  /** navigator was created here (Node 20), not just given a `gpu`. */
  addedNavigator: boolean;
}

/** The WebGPU globals @tensorflow/tfjs-backend-webgpu 4.22 reads (its Node build, grepped). */
const WEBGPU_GLOBALS = ['GPUBufferUsage', 'GPUMapMode', 'GPUTextureUsage', 'GPUBuffer', 'GPUTexture'];

let loaded: Loaded | null = null;
let loading: Promise<Loaded> | null = null;

/**
 * Makes `webgpu` TF.js's current backend: sets up Dawn, takes the high-performance adapter (refusing
 * a CPU one unless allowed), creates the device and `await tf.setBackend('webgpu')`. Loading again
 * returns the same backend.
 *
 * Ending: with webgpu 0.6.2 a process ends on its own and cleanly, disposed or not (tested). A worker
 * thread is different: terminating it (worker.terminate(), or process.exit() while it runs) with GPU
 * work in flight aborts the whole process inside Dawn's binding (SIGABRT). A worker that uses webgpu
 * must stop its work, `await disposeWebGpu()` and end by itself.
 */
export async function loadWebGpuBackend(options: WebGpuLoadOptions): Promise<WebGpuBackendInfo> {
  if (loading) await loading.catch(() => {});
  if (!loaded) {
    loading = load(options).finally(() => (loading = null));
    loaded = await loading;
  }
  // Loaded earlier by a caller that allowed a software adapter: still refused to this one.
  if (loaded.info.adapter.isSoftware && !options.allowSoftwareAdapter) throw softwareRefusal(loaded.info.adapter);
  if (tf.getBackend() !== 'webgpu' && !(await tf.setBackend('webgpu'))) {
    throw new WebGpuUnavailableError('setup-failed', "tf.setBackend('webgpu') failed (TF.js printed why)");
  }
  return loaded.info;
}

/** The loaded backend's description, or null when webgpu is not loaded. */
export function webGpuInfo(): WebGpuBackendInfo | null {
  return loaded?.info ?? null;
}

/**
 * Unloads the webgpu backend: removes it from TF.js (its tensors become invalid; TF.js moves on to its
 * best remaining backend), destroys the device and takes away the globals added at load, so nothing
 * keeps the process alive. Safe to call when nothing is loaded, and more than once.
 */
export async function disposeWebGpu(): Promise<void> {
  if (loading) await loading.catch(() => {});
  const current = loaded;
  if (!current) return;
  loaded = null;
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  current.device.destroy();
  removeGlobals(current);
  uninstallDawnEventPump();
  // Settle TF.js on its best remaining backend now rather than at the next op.
  await tf.ready();
}

async function load(options: WebGpuLoadOptions): Promise<Loaded> {
  if (!options.allowSoftwareAdapter) {
    // Decided from the installed drivers, before Dawn starts (and prints warnings we cannot silence).
    const missing = missingHardwareVulkanDriver();
    if (missing) throw new WebGpuUnavailableError('no-adapter', `no hardware GPU: ${missing}`);
  }
  const dawn = await importDawn();
  // Before Dawn schedules anything: the pump must see every callback it schedules.
  installDawnEventPump();
  const added: string[] = [];
  let addedNavigator = false;
  let device: GPUDevice | null = null;
  try {
    let { gpu, adapter } = await requestAdapter(dawn);
    let driverNote = '';
    if (!adapter || summarizeFoundAdapter(adapter).isSoftware) {
      // Headless NVIDIA on Linux: the driver's default (GLX) Vulkan library needs an X server; its EGL one does not.
      const manifest = nvidiaEglDriverManifest();
      if (manifest) {
        const restore = useDriverManifest(manifest);
        const retry = await requestAdapter(dawn);
        if (retry.adapter && !summarizeFoundAdapter(retry.adapter).isSoftware) {
          ({ gpu, adapter } = retry);
          driverNote = ` (NVIDIA's EGL Vulkan driver, ${manifest}: the GLX one needs an X server)`;
        } else {
          restore();
        }
      }
    }
    if (!adapter) {
      throw new WebGpuUnavailableError('no-adapter', `no WebGPU adapter: Dawn found no ${nativeApi()} device to run on`);
    }
    const info = adapterInfo(adapter);
    const summary = summarizeFoundAdapter(adapter);
    if (summary.isSoftware && !options.allowSoftwareAdapter) throw softwareRefusal(summary);

    const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
    if (nav) {
      Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, enumerable: true, writable: true });
    } else {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, enumerable: false, writable: true });
      addedNavigator = true;
    }
    const constants = dawn.globals as Record<string, unknown>;
    for (const name of WEBGPU_GLOBALS) {
      if (name in globalThis) continue;
      Object.defineProperty(globalThis, name, { value: constants[name], configurable: true, enumerable: false, writable: true });
      added.push(name);
    }

    device = await requestWebGpuDevice(adapter);
    // Before TF.js sees it: every dispatch, submit, upload and readback of the backend is counted (gpuCounters.ts).
    countGpuWork(device);

    const backendModule = await importTfjsWebGpu();
    const NodeWebGpuBackend = defineNodeWebGpuBackend(backendModule.WebGPUBackend);
    // The package registers its own factory on import where navigator.gpu already exists; replace it.
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    const theDevice = device;
    tf.registerBackend('webgpu', () => new NodeWebGpuBackend(theDevice, info), 3);
    registerWebGpuKernels();
    configureWebGpuFlags();
    if (!tf.getKernel('Conv2DBackpropInput', 'webgpu')) {
      throw new WebGpuUnavailableError(
        'setup-failed',
        '@tensorflow/tfjs-backend-webgpu registered its kernels with another copy of @tensorflow/tfjs-core (check `npm ls @tensorflow/tfjs-core`)',
      );
    }
    return {
      info: { name: 'webgpu', adapter: summary, detail: `webgpu on ${describeAdapter(summary)} through Dawn's Node binding${driverNote}` },
      device,
      added,
      addedNavigator,
    };
  } catch (error) {
    // Nothing of Dawn may stay referenced after a failure, or the process would not exit.
    device?.destroy();
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    removeGlobals({ added, addedNavigator });
    uninstallDawnEventPump();
    throw error instanceof WebGpuUnavailableError ? error : new WebGpuUnavailableError('setup-failed', `webgpu failed to start: ${firstLine(error)}`);
  }
}

async function requestAdapter(dawn: DawnModule): Promise<{ gpu: GPU; adapter: GPUAdapter | null }> {
  let gpu: GPU;
  try {
    gpu = dawn.create([]);
  } catch (error) {
    throw new WebGpuUnavailableError('binding-failed', `Dawn's Node binding could not start: ${firstLine(error)}`);
  }
  return { gpu, adapter: await gpu.requestAdapter({ powerPreference: 'high-performance' }) };
}

function removeGlobals(state: Pick<Loaded, 'added' | 'addedNavigator'>): void {
  const g = globalThis as Record<string, unknown> & { navigator?: { gpu?: unknown } };
  for (const name of state.added) delete g[name];
  if (state.addedNavigator) delete g.navigator;
  else if (g.navigator && 'gpu' in g.navigator) delete g.navigator.gpu;
}

interface DawnModule {
  create(options: string[]): GPU;
  globals: object;
}

async function importDawn(): Promise<DawnModule> {
  // A variable specifier: bundlers leave the native package alone, and it is only loaded when asked for.
  const specifier = 'webgpu';
  try {
    return (await import(specifier)) as DawnModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = firstLine(error);
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes('dawn.node')) {
      throw new WebGpuUnavailableError('binding-failed', `Dawn's Node binding has no prebuilt binary for ${process.platform}-${process.arch}`);
    }
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new WebGpuUnavailableError('binding-missing', "the 'webgpu' package (Dawn's Node binding) is not installed");
    }
    throw new WebGpuUnavailableError('binding-failed', `Dawn's Node binding (the 'webgpu' package) failed to load: ${message}`);
  }
}

async function importTfjsWebGpu(): Promise<typeof import('@tensorflow/tfjs-backend-webgpu')> {
  try {
    // A literal specifier: the package is a regular dependency, and a bundle must carry it beside its own
    // copy of tfjs-core (two copies of tfjs-core keep separate kernel registries).
    const module = (await import('@tensorflow/tfjs-backend-webgpu')) as typeof import('@tensorflow/tfjs-backend-webgpu') & { default?: unknown };
    // Node's ESM view of the package's CommonJS build: named exports, or all of them under `default`.
    return (module.WebGPUBackend ? module : module.default) as typeof import('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new WebGpuUnavailableError('binding-missing', '@tensorflow/tfjs-backend-webgpu is not installed');
    }
    throw new WebGpuUnavailableError('setup-failed', `@tensorflow/tfjs-backend-webgpu failed to load: ${firstLine(error)}`);
  }
}

/** The graphics API Dawn's prebuilt binding uses on this platform. */
function nativeApi(): string {
  return process.platform === 'darwin' ? 'Metal' : process.platform === 'win32' ? 'D3D12' : 'Vulkan';
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}
