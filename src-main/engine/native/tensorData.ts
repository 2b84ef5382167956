import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf';
import { NativeCpuBackend } from './nativeCpuBackend';

/**
 * The values of a float32 tensor held by a CPU backend, or null when the native kernels cannot take them
 * (another dtype, complex or string data); the kernel then falls back to TF.js's own.
 */
export function float32Values(backend: MathBackendCPU, t: tf.TensorInfo | undefined): Float32Array | null {
  if (!t || t.dtype !== 'float32') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : null;
}

/** The values of an int32 tensor (indices), or null. */
export function int32Values(backend: MathBackendCPU, t: tf.TensorInfo | undefined): Int32Array | null {
  if (!t || t.dtype !== 'int32') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Int32Array ? values : null;
}

/**
 * A Float32Array for a kernel's output that the native function overwrites completely: recycled memory
 * on the native backend (see arrayRecycler.ts), else a new array.
 */
export function outputArray(backend: MathBackendCPU, length: number): Float32Array {
  return backend instanceof NativeCpuBackend ? backend.outputFloat32(length) : new Float32Array(length);
}

/** The same for an int32 output. */
export function outputInt32Array(backend: MathBackendCPU, length: number): Int32Array {
  return backend instanceof NativeCpuBackend ? backend.outputInt32(length) : new Int32Array(length);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Whether `shape` broadcasts to `target` without making it larger (a fused kernel's bias). */
export function broadcastsWithoutGrowing(shape: readonly number[], target: readonly number[]): boolean {
  try {
    const result = tf.backend_util.assertAndGetBroadcastShape(target as number[], shape as number[]);
    return result.length === target.length && result.every((d, i) => d === target[i]);
  } catch {
    return false;
  }
}
