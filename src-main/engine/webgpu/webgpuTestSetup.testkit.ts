import { describe, it } from 'vitest';
import { tf } from '../tf';
import { loadWebGpuBackend, WebGpuUnavailableError, type WebGpuBackendInfo } from './loadWebGpuBackend';

/**
 * The webgpu tests run on whatever adapter Dawn finds, software ones included (Mesa's lavapipe in CI).
 * Where there is no adapter at all they skip and say why; any other failure to load is a failure.
 * CURVELAB_REQUIRE_WEBGPU=1 turns the skip into a failure too (for CI, after .ci/install-lavapipe).
 */
export const REQUIRE_WEBGPU_VAR = 'CURVELAB_REQUIRE_WEBGPU';

export type WebGpuTestSetup =
  | { state: 'ready'; info: WebGpuBackendInfo }
  | { state: 'skip'; reason: string }
  | { state: 'failed'; error: unknown };

/** Loads webgpu (software adapters allowed) and leaves TF.js on `cpu`; call once per test file. */
export async function setUpWebGpuForTests(): Promise<WebGpuTestSetup> {
  try {
    const info = await loadWebGpuBackend({ allowSoftwareAdapter: true });
    await tf.setBackend('cpu');
    return { state: 'ready', info };
  } catch (error) {
    await tf.setBackend('cpu');
    if (error instanceof WebGpuUnavailableError && error.failure === 'no-adapter' && process.env[REQUIRE_WEBGPU_VAR] !== '1') {
      const reason = `webgpu tests skipped: ${error.message}; .ci/install-lavapipe (Debian, as root) installs Mesa's software Vulkan (lavapipe) to run them without a GPU`;
      console.warn(reason);
      return { state: 'skip', reason };
    }
    return { state: 'failed', error };
  }
}

/** describe() that runs where webgpu loaded, skips (with the reason in its title) where there is no adapter, and fails otherwise. */
export function describeWithWebGpu(name: string, setup: WebGpuTestSetup, body: () => void): void {
  if (setup.state === 'ready') describe(name, body);
  else if (setup.state === 'skip') describe.skip(`${name} (${setup.reason})`, body);
  else {
    describe(name, () => {
      it('loads the webgpu backend', () => {
        throw setup.error;
      });
    });
  }
}

/** Runs `compute` on a backend and copies every tensor it returns out with dataSync(): Float32Array, or Int32Array for int32. */
export async function computeOn(
  backend: 'cpu' | 'webgpu',
  compute: () => Record<string, tf.Tensor>,
): Promise<Record<string, Float32Array | Int32Array>> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  const tensors = tf.tidy(compute);
  const out: Record<string, Float32Array | Int32Array> = {};
  for (const [key, t] of Object.entries(tensors)) {
    const values = t.dataSync(); // on webgpu: the synchronous GPU read (nodeWebGpuBackend.ts)
    out[key] = values instanceof Int32Array ? Int32Array.from(values) : Float32Array.from(values as Float32Array);
    t.dispose();
  }
  return out;
}

/**
 * The largest error of `actual` against `expected`, relative to the larger of |expected|'s largest
 * entry and `floor`: float32 kernels that sum in another order differ by rounding of the big terms, so
 * one scale per tensor (or per group of tensors, passed as `floor`) is the fair yardstick.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-6): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = floor;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst / scale;
}
