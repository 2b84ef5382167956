import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { afterAll, expect, it } from 'vitest';
import { tf } from '../tf';
import { reuseOldestBuffersFirst } from './bufferReuseOrder';
import { disposeWebGpu } from './loadWebGpuBackend';
import { describeWithWebGpu, setUpWebGpuForTests } from './webgpuTestSetup.testkit';

/** TF.js 4.22's own BufferManager (the live backend's class) on a device that only counts what it makes. */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

type BufferManager = WebGPUBackend['bufferManager'];

function managerOnCountingDevice(): { manager: BufferManager; made: () => number } {
  const Manager = (tf.findBackend('webgpu') as WebGPUBackend).bufferManager.constructor as new (device: GPUDevice) => BufferManager;
  let made = 0;
  const device = { createBuffer: ({ size, usage }: GPUBufferDescriptor) => ({ size, usage, id: made++, destroy() {} }) };
  return { manager: new Manager(device as unknown as GPUDevice), made: () => made };
}

describeWithWebGpu("TF.js's buffer pool, oldest free buffer first", setup, () => {
  it('hands out the oldest free buffer of a size and usage, whatever order they were freed in', () => {
    const { manager, made } = managerOnCountingDevice();
    const tfjsOrder = managerOnCountingDevice().manager;
    reuseOldestBuffersFirst(manager);
    for (const m of [manager, tfjsOrder]) {
      const [a, b, c] = [0, 1, 2].map(() => m.acquireBuffer(64, 1));
      const other = m.acquireBuffer(32, 1);
      for (const freed of [a, c, other, b]) m.releaseBuffer(freed);
    }
    const ids = (m: BufferManager) => [0, 1, 2].map(() => (m.acquireBuffer(64, 1) as unknown as { id: number }).id);
    expect(ids(manager)).toEqual([0, 1, 2]);
    // TF.js alone: the last freed first.
    expect(ids(tfjsOrder)).toEqual([1, 2, 0]);
    // Reused, not made anew; the 32-byte one is still free for its size.
    expect(made()).toBe(4);
    expect((manager.acquireBuffer(32, 1) as unknown as { id: number }).id).toBe(3);
  });

  it('still destroys a buffer released without reuse', () => {
    const { manager, made } = managerOnCountingDevice();
    reuseOldestBuffersFirst(manager);
    const a = manager.acquireBuffer(64, 1);
    let destroyed = false;
    a.destroy = () => void (destroyed = true);
    manager.releaseBuffer(a, false);
    expect(destroyed).toBe(true);
    manager.acquireBuffer(64, 1);
    expect(made()).toBe(2);
  });
});
