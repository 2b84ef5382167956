import { tf } from '../tf';

export interface GemmPeak {
  gflops: number;
  /** What measured it: the native BLAS, or TF.js matMul on the current backend. */
  source: string;
}

/**
 * The GEMM rate a backend's steps are compared with: on the CPU backends, the native BLAS on a large
 * square product (the hardware's practical peak, also for plain TF.js, to show how far it is from it);
 * on a GPU backend, TF.js's own matMul there. Without the native addon, TF.js's matMul on the CPU.
 */
export async function measureGemmPeak(): Promise<GemmPeak> {
  const backend = tf.getBackend();
  if (backend !== 'webgpu' && backend !== 'tensorflow') {
    try {
      const { measureGemmGflops } = await import('../native/measureGemmGflops');
      return { gflops: measureGemmGflops(1024), source: 'native BLAS sgemm 1024×1024' };
    } catch {
      // Plain TF.js takes seconds for a 1024 product: a smaller one.
      return { gflops: tfMatMulGflops(512), source: `TF.js matMul 512×512 on ${backend}` };
    }
  }
  return { gflops: tfMatMulGflops(2048), source: `TF.js matMul 2048×2048 on ${backend}` };
}

function tfMatMulGflops(n: number): number {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const start = performance.now();
    // Reading the result back waits for a GPU backend to finish.
    tf.tidy(() => tf.matMul(a, b).dataSync());
    times.push(performance.now() - start);
  }
  a.dispose();
  b.dispose();
  const best = Math.min(...times.slice(1)) / 1000;
  return (2 * n ** 3) / best / 1e9;
}
