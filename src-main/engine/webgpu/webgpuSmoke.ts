/**
 * Loads the webgpu backend, runs one matrix product on the GPU, reads it back with dataSync() and exits: a check
 * that a process which used Dawn ends promptly and cleanly.
 *
 *   npx tsx src-main/engine/webgpu/webgpuSmoke.ts [--allow-software] [--no-dispose]
 *
 * Prints one JSON line ({ok, detail, product, ms} or {ok: false, error}). Exit status 0 when the product
 * is right, 1 when it is wrong, 3 when webgpu cannot load. --no-dispose skips disposeWebGpu(), to see
 * what a process that forgets it does.
 */
import { tf } from '../tf';
import { disposeWebGpu, loadWebGpuBackend } from './loadWebGpuBackend';

const args = process.argv.slice(2);
const started = performance.now();
try {
  const info = await loadWebGpuBackend({ allowSoftwareAdapter: args.includes('--allow-software') });
  // 48×48 (over the backend's 1,000-element threshold below which small ops run on the CPU): a GPU matmul.
  const n = 48;
  const a = Float32Array.from({ length: n * n }, (_, k) => (k % n) + 1); // row i: 1..n
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [n, n]), tf.ones([n, 2])).dataSync());
  const expected = (n * (n + 1)) / 2;
  const ok = product.length === 2 * n && product.every((v) => v === expected);
  console.log(JSON.stringify({ ok, backend: tf.getBackend(), detail: info.detail, first: product[0], expected, ms: Math.round(performance.now() - started) }));
  if (!args.includes('--no-dispose')) await disposeWebGpu();
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
  process.exitCode = 3;
}
