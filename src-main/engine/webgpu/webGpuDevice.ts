import { tf } from '../tf';
import { adapterName, summarizeAdapter, type AdapterInfoFields, type WebGpuAdapterSummary } from './adapterKind';

/**
 * What the two ways of loading TF.js's webgpu backend share: Dawn's Node binding (loadWebGpuBackend.ts)
 * and a page's own WebGPU in Chromium (browserWebGpuBackend.ts) find an adapter, judge it and ask it
 * for a device the same way, and fail with the same typed error.
 */

/**
 * What kept webgpu from loading: the binding is missing or broken, there is no adapter at all, the
 * only adapter is a CPU (refused), or setting up TF.js on it failed.
 */
export type WebGpuFailure = 'binding-missing' | 'binding-failed' | 'no-adapter' | 'software-adapter' | 'setup-failed';

/** Why the webgpu backend cannot be used here; the message is one line, fit for a backend report. */
export class WebGpuUnavailableError extends Error {
  constructor(
    readonly failure: WebGpuFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

/** The adapter's `info`, which Dawn and Chromium give (newer than the @webgpu/types that TF.js's typings resolve). */
export function adapterInfo(adapter: GPUAdapter): GPUAdapterInfo & AdapterInfoFields {
  return (adapter as GPUAdapter & { info: GPUAdapterInfo & AdapterInfoFields }).info;
}

export function summarizeFoundAdapter(adapter: GPUAdapter): WebGpuAdapterSummary {
  return summarizeAdapter(adapterInfo(adapter), (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true);
}

export function softwareRefusal(adapter: WebGpuAdapterSummary): WebGpuUnavailableError {
  return new WebGpuUnavailableError('software-adapter', `no hardware GPU: the only WebGPU adapter is ${adapterName(adapter)} (a CPU)`);
}

/**
 * The device as tfjs-backend-webgpu's own factory asks for it (the adapter's full limits, timestamps if
 * any), and with every storage buffer a shader stage may bind on the adapter rather than WebGPU's
 * default 8: CurveLab's inner-product kernel binds as many tensors as it may, one dispatch for them all.
 */
export function requestWebGpuDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const limits = adapter.limits;
  return adapter.requestDevice({
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    },
  });
}

/**
 * Kernels TF.js records before it submits them (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE, 15 by default): a
 * training step of up to this many dispatches (an MLP's or small-cnn's CurveBall step) goes to the GPU in
 * one submit, with its metrics' read; a larger one every this many. Not unbounded: the buffers of a step's
 * disposed intermediates are only released at a submit.
 */
export const DISPATCHES_PER_SUBMIT = 128;

/** Sets TF.js's webgpu flags as CurveLab runs it (once the backend is registered). */
export function configureWebGpuFlags(): void {
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', DISPATCHES_PER_SUBMIT);
}
