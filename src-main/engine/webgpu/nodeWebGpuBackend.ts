import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf } from '../tf';
import { cacheDispatches } from './cachedDispatch';
import { pumpDawnEventsUntil } from './dawnEventPump';
import { countedAsBlocking } from './gpuCounters';

type WebGpuBackendClass = typeof WebGPUBackend;
type DataId = Parameters<WebGPUBackend['readSync']>[0];
type BackendValues = ReturnType<WebGPUBackend['readSync']>;

/**
 * TF.js's WebGPUBackend with a synchronous read that works in Node.
 *
 * In a browser, `readSync` (behind `tensor.dataSync()`) copies the buffer through an OffscreenCanvas,
 * which Node does not have; the engine reads its scalars (losses, inner products) with `dataSync()`.
 * This subclass reads the way the backend's own async `read` does — copy into a MAP_READ staging
 * buffer, map it, copy the bytes out — but waits for the mapping synchronously (dawnEventPump.ts).
 * Like `read`, it caches the values on the CPU side of the tensor. Its dispatches are recorded with
 * cached uniform buffers and bind groups (cachedDispatch.ts).
 */
export function defineNodeWebGpuBackend(Base: WebGpuBackendClass): WebGpuBackendClass {
  class NodeWebGpuBackend extends Base {
    override readSync(dataId: DataId): BackendValues {
      const data = this.tensorMap.get(dataId);
      const resource = data?.resource as GPUBuffer | GPUTexture | null | undefined;
      // Values already on the CPU, strings, and complex numbers (whose parts come back here) go the usual way.
      if (!data || data.values != null || data.dtype === 'string' || data.dtype === 'complex64' || !isBuffer(resource)) {
        return super.readSync(dataId);
      }
      const bytes = countedAsBlocking(() => readBufferSync(this, resource));
      const values = tf.util.convertBackendValuesAndArrayBuffer(bytes, data.dtype);
      data.values = values;
      return values;
    }
  }
  cacheDispatches(NodeWebGpuBackend);
  return NodeWebGpuBackend;
}

/** A tensor lives in a GPUBuffer (the backend also knows textures, which the engine never makes). */
function isBuffer(resource: unknown): resource is GPUBuffer {
  return resource != null && typeof (resource as GPUBuffer).mapAsync === 'function';
}

/** The backend's getBufferData, waiting in place instead of awaiting. Public members only. */
function readBufferSync(backend: WebGPUBackend, buffer: GPUBuffer): ArrayBuffer {
  const size = buffer.size;
  // Submit whatever the backend has recorded, so the copy below sees the tensor's final contents.
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.submitQueue();
  const staging = backend.bufferManager.acquireBuffer(size, GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ);
  const encoder = backend.device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, size);
  backend.queue.submit([encoder.finish()]);
  // A failed mapping is reported below; the rejection itself has no one to go to.
  staging.mapAsync(GPUMapMode.READ).catch(() => {});
  pumpDawnEventsUntil(() => staging.mapState !== 'pending', 'a GPU buffer to map for reading');
  if (staging.mapState !== 'mapped') {
    backend.bufferManager.releaseBuffer(staging, false);
    throw new Error(`reading a tensor back from the GPU failed: its staging buffer did not map (the device may have been lost)`);
  }
  const bytes = staging.getMappedRange().slice(0);
  staging.unmap();
  backend.bufferManager.releaseBuffer(staging);
  return bytes;
}
