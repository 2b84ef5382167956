import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { afterAll, expect, it } from 'vitest';
import { tf } from '../../tf';
import { gpuWorkBetween, gpuWorkCounts } from '../gpuCounters';
import { disposeWebGpu } from '../loadWebGpuBackend';
import { describeWithWebGpu, setUpWebGpuForTests } from '../webgpuTestSetup.testkit';
import { runMultiOutputProgram, type MultiOutputProgram } from './multiOutputProgram';

const setup = await setUpWebGpuForTests();
afterAll(() => disposeWebGpu());

/** Scaled = scale·a and shifted = a + index, from a float32 and an int32 input, in one dispatch. */
function program(a: tf.Tensor, index: tf.Tensor, scale: number, key = 'test_scaledAndShifted'): MultiOutputProgram {
  return {
    key,
    inputs: [
      { name: 'A', tensor: a },
      { name: 'Index', tensor: index },
    ],
    outputs: [
      { name: 'Scaled', shape: a.shape },
      { name: 'Shifted', shape: a.shape },
    ],
    uniforms: [
      { name: 'size', type: 'i32', value: a.size },
      { name: 'scale', type: 'f32', value: scale },
    ],
    workgroupSize: 64,
    workgroups: Math.ceil(a.size / 64),
    main: `
      if (index < uniforms.size) {
        Scaled[index] = uniforms.scale * A[index];
        Shifted[index] = A[index] + f32(Index[index]);
      }`,
  };
}

function run(p: (a: tf.Tensor, i: tf.Tensor) => MultiOutputProgram): number[][] {
  return tf.tidy(() => {
    const a = tf.tensor1d([1, -2, 3.5, 0, 100]);
    const index = tf.tensor1d([0, 1, 2, -3, 4], 'int32');
    const outputs = runMultiOutputProgram(tf.backend() as WebGPUBackend, p(a, index));
    return outputs.map((info) => Array.from(tf.engine().makeTensorFromTensorInfo(info).dataSync()));
  });
}

describeWithWebGpu('programs with several outputs on webgpu', setup, () => {
  it('write both outputs in one dispatch, from float32 and int32 inputs and uniforms', async () => {
    await tf.setBackend('webgpu');
    const before = gpuWorkCounts();
    const [scaled, shifted] = run((a, i) => program(a, i, 0.5));
    expect(gpuWorkBetween(before, gpuWorkCounts()).dispatches).toBe(1);
    expect(scaled).toEqual([0.5, -1, 1.75, 0, 50]);
    expect(shifted).toEqual([1, -1, 5.5, -3, 104]);
  });

  it('number their invocations on past the workgroups one dispatch dimension takes', async () => {
    await tf.setBackend('webgpu');
    const backend = tf.backend() as WebGPUBackend;
    // One invocation per workgroup: more workgroups than the x dimension allows, so they go in rows.
    const size = backend.device.limits.maxComputeWorkgroupsPerDimension + 1000;
    const values = tf.tidy(() => {
      const a = tf.range(0, size, 1, 'float32');
      const [scaled] = runMultiOutputProgram(backend, { ...program(a, tf.zeros([size], 'int32'), 3, 'test_manyWorkgroups'), workgroupSize: 1, workgroups: size });
      return tf.engine().makeTensorFromTensorInfo(scaled).dataSync();
    });
    expect(values.length).toBe(size);
    expect(values.every((v, i) => v === 3 * i)).toBe(true);
  });

  it("compile only under TF.js's compile-only mode, and run once that is over", async () => {
    await tf.setBackend('webgpu');
    const backend = tf.backend() as WebGPUBackend;
    const before = gpuWorkCounts();
    tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', true);
    try {
      tf.tidy(() => runMultiOutputProgram(backend, program(tf.ones([3]), tf.zeros([3], 'int32'), 2, 'test_compiledFirst')).forEach((o) => backend.disposeData(o.dataId)));
    } finally {
      tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', false);
    }
    await backend.checkCompileCompletionAsync();
    expect(gpuWorkBetween(before, gpuWorkCounts()).dispatches).toBe(0);
    const [scaled] = run((a, i) => program(a, i, 2, 'test_compiledFirst'));
    expect(scaled).toEqual([2, -4, 7, 0, 200]);
  });
});
