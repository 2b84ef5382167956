import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { syntheticDataset } from '../bench/syntheticDataset';
import { tf } from '../tf';
import type { RunSpec } from '../../shared/runSpec';
import { gpuWorkBetween, gpuWorkCounts, type GpuWorkCounts } from './gpuCounters';
import { disposeWebGpu } from './loadWebGpuBackend';
import { gpuWorkOfSteps } from './stepGpuWork.testkit';
import { describeWithWebGpu, setUpWebGpuForTests } from './webgpuTestSetup.testkit';
import { DISPATCHES_PER_SUBMIT } from './webGpuDevice';

/**
 * The counters against work known by hand: WebGPU calls made directly, TF.js ops on tensors over the
 * backend's 1,000-element threshold (smaller ones whose values are on the CPU run on the CPU), and
 * training steps, whose counts must repeat from step to step.
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

function filled(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
}

/** The work `run` asks of the GPU. */
async function countWork(run: () => unknown): Promise<GpuWorkCounts> {
  const before = gpuWorkCounts();
  await run();
  return gpuWorkBetween(before, gpuWorkCounts());
}

function device(): GPUDevice {
  return (tf.backend() as WebGPUBackend).device;
}

describeWithWebGpu('GPU work counters on direct WebGPU calls', setup, () => {
  beforeEach(async () => {
    await tf.setBackend('webgpu');
  });

  it('counts writeBuffer bytes: a typed array whole, in elements of it, and an ArrayBuffer in bytes', async () => {
    const buffer = device().createBuffer({ size: 64, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.STORAGE });
    const work = await countWork(() => {
      device().queue.writeBuffer(buffer, 0, new Float32Array(10)); // 40 bytes
      device().queue.writeBuffer(buffer, 0, new Float32Array(10), 2, 3); // 3 floats: 12 bytes
      device().queue.writeBuffer(buffer, 0, new ArrayBuffer(20), 4); // from byte 4: 16 bytes
    });
    buffer.destroy();
    expect(work).toEqual({ dispatches: 0, submits: 0, blockingReadbacks: 0, asyncReadbacks: 0, bytesUploaded: 68 });
  });

  it('counts a buffer created mapped as uploaded, and one dispatch per dispatchWorkgroups', async () => {
    const d = device();
    const pipeline = d.createComputePipeline({
      layout: 'auto',
      compute: { module: d.createShaderModule({ code: '@compute @workgroup_size(1) fn main() {}' }), entryPoint: 'main' },
    });
    const work = await countWork(() => {
      d.createBuffer({ size: 256, usage: GPUBufferUsage.COPY_SRC, mappedAtCreation: true }).destroy();
      const encoder = d.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.dispatchWorkgroups(1);
      pass.dispatchWorkgroups(2, 1, 1);
      pass.end();
      d.queue.submit([encoder.finish()]);
    });
    expect(work).toEqual({ dispatches: 2, submits: 1, blockingReadbacks: 0, asyncReadbacks: 0, bytesUploaded: 256 });
  });
});

describeWithWebGpu('GPU work counters on TF.js ops', setup, () => {
  beforeEach(async () => {
    await tf.setBackend('webgpu');
  });

  it('a matMul read with dataSync(): both inputs uploaded, one blocking readback, two submits', async () => {
    // Values on the CPU until the product needs them on the GPU.
    const a = tf.tensor2d(filled(48 * 48), [48, 48]);
    const b = tf.tensor2d(filled(48 * 2), [48, 2]);
    const work = await countWork(() => tf.tidy(() => tf.matMul(a, b).dataSync()));
    tf.dispose([a, b]);
    expect(work.dispatches).toBeGreaterThanOrEqual(1);
    expect(work.blockingReadbacks).toBe(1);
    expect(work.asyncReadbacks).toBe(0);
    // The read submits the recorded kernel, then the copy into its staging buffer.
    expect(work.submits).toBe(2);
    // 48·48 + 48·2 floats, plus the kernel's uniforms (a few shapes and sizes: well under 1 KB).
    const inputs = 4 * (48 * 48 + 48 * 2);
    expect(work.bytesUploaded).toBeGreaterThanOrEqual(inputs);
    expect(work.bytesUploaded).toBeLessThan(inputs + 1024);
  });

  it(`${DISPATCHES_PER_SUBMIT + 2} elementwise kernels read with await data(): one async readback, a submit every ${DISPATCHES_PER_SUBMIT} dispatches`, async () => {
    const x = tf.tensor1d(filled(2048));
    tf.tidy(() => tf.add(x, 1).dataSync()); // x on the GPU before counting
    const work = await countWork(async () => {
      let y: tf.Tensor = x;
      for (let i = 0; i < DISPATCHES_PER_SUBMIT + 2; i++) {
        const next = tf.mul(y, 0.5);
        if (y !== x) y.dispose();
        y = next;
      }
      await y.data();
      y.dispose();
    });
    x.dispose();
    expect(work.dispatches).toBe(DISPATCHES_PER_SUBMIT + 2);
    expect(work.blockingReadbacks).toBe(0);
    expect(work.asyncReadbacks).toBe(1);
    // TF.js submits after DISPATCHES_PER_SUBMIT dispatches (WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE, as the
    // engine sets it); the read submits the last two with the copy into its staging buffer.
    expect(work.submits).toBe(2);
  });

  it('a tensor read twice reads the GPU once (the backend keeps the values)', async () => {
    const x = tf.tidy(() => tf.mul(tf.tensor1d(filled(2048)), 2));
    const first = await countWork(() => x.dataSync());
    const second = await countWork(async () => {
      x.dataSync();
      await x.data();
    });
    x.dispose();
    expect(first.blockingReadbacks).toBe(1);
    expect(second).toEqual({ dispatches: 0, submits: 0, blockingReadbacks: 0, asyncReadbacks: 0, bytesUploaded: 0 });
  });
});

const BATCH = 16;
/** One dataset for every run (10 batches), so that runs differ only in their number of steps. */
const data = syntheticDataset([64], 4, BATCH * 10);

function mlpRun(spec: Pick<RunSpec, 'optimizer' | 'optimizerOptions'>): RunSpec {
  return { ...spec, dataset: data.name, arch: 'mlp', archOptions: { widths: '32' }, batchSize: BATCH, shuffle: false, init: 'default', seed: 1 };
}

describeWithWebGpu('GPU work per training step (MLP 64-32-4, batch 16)', setup, () => {
  it('SGD: the same work every step, the loss read back each step', async () => {
    const perStep = await gpuWorkOfSteps(mlpRun({ optimizer: 'sgd', optimizerOptions: { lr: 0.1 } }), data, 3, 6);
    const step3 = perStep.get(3)!;
    console.log(`webgpu MLP SGD, steps 3-6 each: ${JSON.stringify(step3)}`);
    for (const step of [4, 5, 6]) expect(perStep.get(step), `step ${step}`).toEqual(step3);
    expect(step3.dispatches).toBeGreaterThan(0);
    expect(step3.submits).toBeGreaterThan(0);
    // Its loss and accuracy, waited for or awaited.
    expect(step3.blockingReadbacks + step3.asyncReadbacks).toBeGreaterThanOrEqual(1);
    // At least the batch: 16 examples of 64 floats and their 16 int32 labels.
    expect(step3.bytesUploaded).toBeGreaterThanOrEqual(4 * BATCH * 65);
  });

  it('CurveBall: the same work every step but the λ-adapting one, which re-evaluates the loss', async () => {
    const perStep = await gpuWorkOfSteps(mlpRun({ optimizer: 'curveball', optimizerOptions: {} }), data, 5, 9);
    const step6 = perStep.get(6)!;
    const step5 = perStep.get(5)!;
    console.log(`webgpu MLP CurveBall, steps 6-9 each: ${JSON.stringify(step6)}; step 5 (adapts λ): ${JSON.stringify(step5)}`);
    for (const step of [7, 8, 9]) expect(perStep.get(step), `step ${step}`).toEqual(step6);
    expect(step6.dispatches).toBeGreaterThan(0);
    // At least its loss and accuracy, waited for or awaited.
    expect(step6.blockingReadbacks + step6.asyncReadbacks).toBeGreaterThanOrEqual(1);
    // Step 5 adapts λ (every 5th step): one more forward pass.
    expect(step5.dispatches).toBeGreaterThan(step6.dispatches);
  });
});
