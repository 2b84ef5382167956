import { WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticDataset } from '../bench/syntheticDataset';
import type { RunSpec } from '../../shared/runSpec';
import { tf } from '../tf';
import { train } from '../train/trainer';
import type { TrainEvent } from '../train/trainEvents';
import { cacheDispatches, packUniforms, uniformLayout } from './cachedDispatch';
import { elementwiseProgram } from './kernels/webGpuKernel';
import { disposeWebGpu } from './loadWebGpuBackend';
import { gpuWorkOfSteps } from './stepGpuWork.testkit';
import { describeWithWebGpu, setUpWebGpuForTests } from './webgpuTestSetup.testkit';

/**
 * The uniform layout against WGSL's rules worked by hand; on webgpu, the caches seen at the device's
 * own calls (createBindGroup, createBuffer), results against hand computation, and steady training
 * steps that upload their batch (and the scalars CurveBall makes on the CPU) and make no bind group.
 */
const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

describe('uniform layout (WGSL, uniform address space)', () => {
  it('aligns scalars to 4, vec2 to 8, vec3 and vec4 to 16, and rounds the size up to the largest alignment', () => {
    // f32 f32 | vec2 @8 | vec2 @16 | i32 @24 → end 28, largest alignment 8 → 32.
    expect(uniformLayout([1, 1, 2, 2, 1])).toEqual({ offsets: [0, 4, 8, 16, 24], size: 32 });
    // vec3 @16 (12 bytes, ends 28) | vec3 @32 → end 44 → 48.
    expect(uniformLayout([1, 1, 3, 3])).toEqual({ offsets: [0, 4, 16, 32], size: 48 });
    // A scalar packs into the 4 bytes after a vec3.
    expect(uniformLayout([3, 1])).toEqual({ offsets: [0, 12], size: 16 });
    expect(uniformLayout([1, 4])).toEqual({ offsets: [0, 16], size: 32 });
    // An empty field (a scalar's shape, a vector's strides) is one scalar.
    expect(uniformLayout([0])).toEqual({ offsets: [0], size: 4 });
  });

  it('puts a struct (5 or 6 numbers) at a multiple of 16 and the next field 16-aligned after it', () => {
    // vec5 @16 (20 bytes) | vec5 @48 (not 36) | i32 @80 (not 68) → end 84 → 96.
    expect(uniformLayout([1, 1, 5, 5, 1])).toEqual({ offsets: [0, 4, 16, 48, 80], size: 96 });
    // vec6 @16 (24 bytes, ends 40) | i32 @48 → end 52 → 64.
    expect(uniformLayout([1, 1, 6, 1])).toEqual({ offsets: [0, 4, 16, 48], size: 64 });
  });

  it('refuses a field of more than 6 numbers', () => {
    expect(() => uniformLayout([7])).toThrow(/7 numbers/);
  });

  it('packs int32, uint32 and float32 numbers at their offsets, an empty field as 1', () => {
    const bytes = packUniforms([
      { type: 'float32', data: [NaN] },
      { type: 'int32', data: [-3, 5] },
      { type: 'uint32', data: [7] },
      { type: 'float32', data: [0.5] },
      { type: 'int32', data: [] },
    ]);
    // Offsets 0, 8, 16, 20, 24; size 28 rounded up to 8.
    expect(bytes.byteLength).toBe(32);
    const view = new DataView(bytes);
    expect(Number.isNaN(view.getFloat32(0, true))).toBe(true);
    expect([view.getInt32(8, true), view.getInt32(12, true)]).toEqual([-3, 5]);
    expect(view.getUint32(16, true)).toBe(7);
    expect(view.getFloat32(20, true)).toBe(0.5);
    expect(view.getInt32(24, true)).toBe(1);
  });
});

/** x·scale and x + scale: two programs whose uniforms are the same for the same scale and size. */
const scaleProgram = (size: number): WebGPUProgram =>
  elementwiseProgram('cachedDispatchTestScale', ['X'], size, 'setOutputAtIndex(index, X[index] * uniforms.scale);', 'scale : f32,');
const shiftProgram = (size: number): WebGPUProgram =>
  elementwiseProgram('cachedDispatchTestShift', ['X'], size, 'setOutputAtIndex(index, X[index] + uniforms.scale);', 'scale : f32,');
const scaleUniform = (scale: number) => [{ type: 'float32', data: [scale] }];

/** The uniform buffer (the last binding) of each bind group the device makes while `run` runs. */
async function uniformBuffersBound(device: GPUDevice, run: () => Promise<unknown>): Promise<GPUBuffer[]> {
  const bound: GPUBuffer[] = [];
  const createBindGroup = device.createBindGroup;
  device.createBindGroup = function (descriptor: GPUBindGroupDescriptor) {
    const entries = [...descriptor.entries];
    bound.push((entries[entries.length - 1].resource as GPUBufferBinding).buffer);
    return createBindGroup.call(this, descriptor);
  };
  try {
    await run();
  } finally {
    device.createBindGroup = createBindGroup;
  }
  return bound;
}

/** The uniform buffers the device creates while `run` runs, each with whether it was destroyed since. */
async function uniformBuffersCreated(device: GPUDevice, run: () => Promise<unknown>): Promise<{ destroyed: boolean }[]> {
  const created: { destroyed: boolean }[] = [];
  const createBuffer = device.createBuffer;
  device.createBuffer = function (descriptor: GPUBufferDescriptor) {
    const buffer = createBuffer.call(this, descriptor);
    if (descriptor.usage & GPUBufferUsage.UNIFORM) {
      const record = { destroyed: false };
      created.push(record);
      const destroy = buffer.destroy;
      buffer.destroy = function () {
        record.destroyed = true;
        return destroy.call(this);
      };
    }
    return buffer;
  };
  try {
    await run();
  } finally {
    device.createBuffer = createBuffer;
  }
  return created;
}

describeWithWebGpu('dispatches recorded with cached uniform buffers and bind groups', setup, () => {
  const live = (): WebGPUBackend => tf.findBackend('webgpu') as WebGPUBackend;

  it("relies on TF.js 4.22's WebGPUBackend: recordAndSubmit(program, output, inputs, uniforms) and its recording state", () => {
    const prototype = WebGPUBackend.prototype as unknown as Record<string, unknown>;
    expect(typeof prototype.recordAndSubmit).toBe('function');
    expect((prototype.recordAndSubmit as () => void).length).toBe(4);
    const backend = live() as unknown as Record<string, unknown>;
    expect(backend.commandQueueOwnedIds).toBeInstanceOf(WeakSet);
    expect(typeof backend.dispatchCountInPass).toBe('number');
    expect('computePassEncoder' in backend && 'commandEncoder' in backend).toBe(true);
    // The override, not TF.js's own, on the backend CurveLab registers.
    expect(backend.recordAndSubmit).not.toBe(prototype.recordAndSubmit);
  });

  it('two programs with the same uniform bytes bind one buffer; other bytes bind another', async () => {
    await tf.setBackend('webgpu');
    const backend = live();
    const size = 300;
    const x = tf.tensor1d(Float32Array.from({ length: size }, (_, i) => i - 100));
    const outputs: tf.Tensor[] = [];
    const run = (program: WebGPUProgram, scale: number) =>
      outputs.push(tf.engine().makeTensorFromTensorInfo(backend.runWebGPUProgram(program, [x], 'float32', scaleUniform(scale))));
    const bound = await uniformBuffersBound(backend.device, async () => {
      run(scaleProgram(size), 1.25);
      run(shiftProgram(size), 1.25);
      run(scaleProgram(size), -2);
    });
    const [scaled, shifted, scaledAgain] = await Promise.all(outputs.map((t) => t.data()));
    tf.dispose([x, ...outputs]);
    expect(bound).toHaveLength(3);
    expect(bound[1]).toBe(bound[0]);
    expect(bound[2]).not.toBe(bound[0]);
    for (const i of [0, 1, 150, 299]) {
      expect(scaled[i]).toBe((i - 100) * 1.25);
      expect(shifted[i]).toBe(i - 100 + 1.25);
      expect(scaledAgain[i]).toBe((i - 100) * -2);
    }
  });

  describe('a backend whose caches hold two entries', () => {
    class TwoEntryBackend extends WebGPUBackend {}
    cacheDispatches(TwoEntryBackend, { uniformBuffers: 2, bindGroups: 2 });
    const size = 100;
    const xs = Float32Array.from({ length: size }, (_, i) => i / 4 - 10);

    /** x·s for each s in turn, all recorded before the one read that gives the values. */
    async function scaleInTurn(backend: WebGPUBackend, scales: number[]): Promise<Float32Array> {
      let t: tf.TensorInfo = { dataId: backend.write(xs, [size], 'float32'), shape: [size], dtype: 'float32' };
      for (const s of scales) {
        const next = backend.runWebGPUProgram(scaleProgram(size), [t], 'float32', scaleUniform(s));
        backend.disposeData(t.dataId);
        t = next;
      }
      const values = (await backend.read(t.dataId)) as Float32Array;
      backend.disposeData(t.dataId);
      return values;
    }

    it('computes right past its bound, destroys only what no pending dispatch uses, and makes again what it evicted', async () => {
      const backend = new TwoEntryBackend(live().device);
      try {
        // Five uniform blocks recorded before one submit: none may go before it.
        const scales = [2, -0.5, 3, 0.25, -1];
        let chained: Float32Array = new Float32Array();
        const first = await uniformBuffersCreated(backend.device, async () => (chained = await scaleInTurn(backend, scales)));
        const product = scales.reduce((a, b) => a * b, 1);
        expect(Array.from(chained)).toEqual(Array.from(xs, (x) => x * product));
        expect(first).toHaveLength(5);
        // Trimmed to the two most recently used at the submit.
        expect(first.map((b) => b.destroyed)).toEqual([true, true, true, false, false]);

        // The first scale's buffer was evicted: made again, and right.
        let again: Float32Array = new Float32Array();
        const second = await uniformBuffersCreated(backend.device, async () => (again = await scaleInTurn(backend, [2])));
        expect(second).toHaveLength(1);
        expect(Array.from(again)).toEqual(Array.from(xs, (x) => 2 * x));
        // -1 is still cached: nothing made.
        const third = await uniformBuffersCreated(backend.device, () => scaleInTurn(backend, [-1]));
        expect(third).toHaveLength(0);
      } finally {
        backend.dispose();
      }
    });
  });
});

describeWithWebGpu('a steady training step with cached dispatches', setup, () => {
  const BATCH = 16;
  const FEATURES = 24;
  const STEPS = 30;
  const data = syntheticDataset([FEATURES], 4, BATCH * (STEPS + 1));
  const spec = (optimizer: string, optimizerOptions: Record<string, number> = {}): RunSpec => ({
    dataset: data.name,
    arch: 'mlp',
    archOptions: { widths: '32,32' },
    optimizer,
    optimizerOptions,
    batchSize: BATCH,
    shuffle: false,
    init: 'default',
    seed: 3,
  });
  // CurveBall's running means of β and ρ weigh the new value 1/n for the first interleaveWindow steps:
  // uniforms that change every step. With a window of 1 the weight is 1 from the start.
  const steadyCurveBall = spec('curveball', { interleaveWindow: 1 });
  // The batch: its float32 inputs and its int32 labels (classification: one label an example).
  const batchBytes = BATCH * FEATURES * 4 + BATCH * 4;

  it('SGD uploads its batch and nothing else', async () => {
    const work = (await gpuWorkOfSteps(spec('sgd'), data, 6, 6)).get(6)!;
    expect(work.bytesUploaded).toBe(batchBytes);
  });

  it('CurveBall uploads its batch and the one scalar it makes on the CPU', async () => {
    // The float32 coefficient 1 of the gradient part beside the device scalar λ in dz = g + λz.
    const work = (await gpuWorkOfSteps(steadyCurveBall, data, 6, 6)).get(6)!;
    expect(work.bytesUploaded).toBe(batchBytes + 4);
  });

  it("CurveBall's running means, with new weights each step, upload one uniform block", async () => {
    // Each mean of β and of ρ is an axpby of scalars with weights 1 − 1/n and 1/n: the same uniforms for
    // both, so one block a step. NAN, INFINITY, the shape and strides of two inputs and an output (one
    // number each), the size, alpha and beta: 11 numbers of 4 bytes.
    const work = (await gpuWorkOfSteps(spec('curveball'), data, 6, 6)).get(6)!;
    expect(work.bytesUploaded).toBe(batchBytes + 4 + 11 * 4);
  });

  /** The bind groups made so far when each step's event came, its metrics read as it is taken. */
  async function bindGroupsAtStepEvents(runSpec: RunSpec): Promise<number[]> {
    if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') failed");
    const device = (tf.backend() as WebGPUBackend).device;
    const atStep: number[] = [];
    let made = 0;
    const createBindGroup = device.createBindGroup;
    device.createBindGroup = function (descriptor: GPUBindGroupDescriptor) {
      made++;
      return createBindGroup.call(this, descriptor);
    };
    try {
      // Read as taken, each step's event comes before the next step: what came between two events is a
      // step's. (Read a few steps late, when a read lands moves which pooled buffer a later tensor gets,
      // and now and then a step binds buffers in a way not seen before.)
      const options = { backend: { name: 'webgpu', reason: 'test' }, asyncMetrics: false, onEvent: (e: TrainEvent) => e.type === 'step' && (atStep[e.step] = made) };
      expect((await train({ ...runSpec, steps: STEPS }, data, options)).status).toBe('completed');
    } finally {
      device.createBindGroup = createBindGroup;
    }
    return atStep;
  }

  for (const [name, runSpec] of [
    ['SGD', spec('sgd')],
    ['CurveBall', steadyCurveBall],
  ] as const) {
    it(`${name}: steps 20 to 29 make no bind group, once the pool holds what every kind of step needs`, async () => {
      const atStep = await bindGroupsAtStepEvents(runSpec);
      expect(Object.keys(atStep)).toHaveLength(STEPS);
      // Steps 20 and 25 adapt CurveBall's λ.
      expect(atStep[29] - atStep[19]).toBe(0);
    });
  }
});
