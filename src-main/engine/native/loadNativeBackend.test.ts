import { expect, it } from 'vitest';
import { fusedKernelNames } from '../ops';
import { tf } from '../tf';
import { loadNativeBackend, measureGemmGflops } from './loadNativeBackend';
import { describeNative } from './nativeBackend.testkit';
import { nativeKernelConfigs } from './nativeKernels';

describeNative('loadNativeBackend', () => {
  it('registers cpu-blas with every cpu kernel, native ones in place of the heavy kernels, and the fused kernels', async () => {
    const info = await loadNativeBackend();
    expect(info.name).toBe('cpu-blas');
    expect(info.detail).toMatch(/^(OpenBLAS \d+\.\d+\.\d+|Accelerate).*, \d+ threads$/);
    const cpu = tf.getKernelsForBackend('cpu').map((k) => k.kernelName).sort();
    const blas = tf.getKernelsForBackend('cpu-blas').map((k) => k.kernelName).sort();
    expect(blas).toEqual([...cpu, ...Object.values(fusedKernelNames)].sort());
    for (const native of nativeKernelConfigs) {
      expect(tf.getKernel(native.kernelName, 'cpu-blas').kernelFunc).toBe(native.kernelFunc);
    }
  });

  it('can be called again', async () => {
    const first = await loadNativeBackend();
    expect(await loadNativeBackend()).toEqual(first);
  });

  it('runs the engine: tensors made on cpu-blas read back and dispose like cpu ones', async () => {
    expect(await tf.setBackend('cpu-blas')).toBe(true);
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])));
    expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('measures the GEMM rate', () => {
    const gflops = measureGemmGflops(128, 3);
    expect(gflops).toBeGreaterThan(0.1);
    expect(Number.isFinite(gflops)).toBe(true);
  });
});
