import { tf } from '../tf';

export interface GemmPeak {
  gflops: number;
  /** What measured it: the native BLAS, or TF.js matMul on the current backend. */
  source: string;
}

/**
 * The machine's GEMM rate on a large square product: the native BLAS when the cpu-blas backend is
 * available (the hardware's practical peak), else TF.js's matMul on the current backend.
 */
export async function measureGemmPeak(): Promise<GemmPeak> {
  try {
    const { measureGemmGflops } = await import('../native/measureGemmGflops');
    return { gflops: measureGemmGflops(1024), source: 'native BLAS sgemm 1024×1024' };
  } catch {
    // Smaller: plain TF.js takes seconds for a 1024 product.
    return { gflops: tfMatMulGflops(512), source: `TF.js matMul 512×512 on ${tf.getBackend()}` };
  }
}

function tfMatMulGflops(n: number): number {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    tf.tidy(() => tf.matMul(a, b).dataSync());
    times.push(performance.now() - start);
  }
  a.dispose();
  b.dispose();
  const best = Math.min(...times) / 1000;
  return (2 * n ** 3) / best / 1e9;
}
