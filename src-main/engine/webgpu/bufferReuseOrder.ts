import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

type BufferManager = WebGPUBackend['bufferManager'];

/**
 * Makes TF.js's buffer pool hand out, of its free buffers of a size and usage, the oldest (the one it
 * first handed out earliest) rather than the one freed last. A training step then gets the same buffers
 * step after step, whatever order the step before freed its tensors in, so the bind groups cached by
 * buffer (cachedDispatch.ts) are found again. What it cannot fix: a tensor freed when a read lands (the
 * metrics, read a few steps late) changes which buffers are free at that point, so now and then a step
 * binds its buffers in a way not seen before.
 *
 * Relies on TF.js 4.22's BufferManager: free buffers in lists keyed `${size}_${usage}` (freeBuffers,
 * private in its typings), handed out from the end; bufferReuseOrder.test.ts fails where that changes.
 */
export function reuseOldestBuffersFirst(manager: BufferManager): void {
  const pool = manager as unknown as { freeBuffers: Map<string, GPUBuffer[]> };
  const age = new WeakMap<GPUBuffer, number>();
  let seen = 0;
  // Buffers handed out before this was installed are aged when first seen.
  const ageOf = (buffer: GPUBuffer): number => {
    let a = age.get(buffer);
    if (a === undefined) age.set(buffer, (a = seen++));
    return a;
  };
  const acquire = manager.acquireBuffer;
  manager.acquireBuffer = function (...args: Parameters<BufferManager['acquireBuffer']>) {
    const buffer = acquire.apply(this, args);
    ageOf(buffer);
    return buffer;
  };
  const release = manager.releaseBuffer;
  manager.releaseBuffer = function (buffer: GPUBuffer, reuse = true) {
    release.call(this, buffer, reuse);
    // Newest first, so that the end, where the next is taken from, holds the oldest.
    if (reuse) pool.freeBuffers.get(`${buffer.size}_${buffer.usage}`)?.sort((a, b) => ageOf(b) - ageOf(a));
  };
}
