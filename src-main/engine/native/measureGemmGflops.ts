import { loadNativeAddon } from './nativeAddon';

/**
 * The machine's GEMM peak as the native path sees it: GFLOP/s of the addon's BLAS on an n×n·n×n float32
 * product (2n³ flops), the median of a few timed runs after a warm-up. For `curvelab bench`, which
 * prints it beside what training achieves. Throws NativeAddonUnavailableError without the addon.
 */
export function measureGemmGflops(n = 1024, runs = 5): number {
  const addon = loadNativeAddon();
  const a = randomMatrix(n);
  const b = randomMatrix(n);
  const c = new Float32Array(n * n);
  const multiply = () => addon.batchMatMul(a, b, c, 1, 1, 1, n, n, n, false, false);
  multiply(); // warm-up: starts the BLAS threads and faults in c
  const seconds: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = process.hrtime.bigint();
    multiply();
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  seconds.sort((p, q) => p - q);
  return (2 * n ** 3) / seconds[Math.floor(seconds.length / 2)] / 1e9;
}

function randomMatrix(n: number): Float32Array {
  const m = new Float32Array(n * n);
  for (let i = 0; i < m.length; i++) m[i] = Math.random() - 0.5;
  return m;
}
