import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../tf';
import type { NativeAddon } from '../nativeAddon';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';

/**
 * The shapes of a (batched) matrix product as TF.js's CPU kernel reads them: batches flattened, batch i
 * taking a's matrix i % batchA and b's i % batchB. Null where that kernel would do something else (an
 * error for mismatched inner sizes, or batch shapes that broadcast to more products than either has).
 */
export interface MatMulPlan {
  batch: number;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  outShape: number[];
}

export function planMatMul(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean): MatMulPlan | null {
  const aRank = aShape.length;
  const bRank = bShape.length;
  if (aRank < 2 || bRank < 2) return null;
  const k = transposeA ? aShape[aRank - 2] : aShape[aRank - 1];
  const kB = transposeB ? bShape[bRank - 1] : bShape[bRank - 2];
  const m = transposeA ? aShape[aRank - 1] : aShape[aRank - 2];
  const n = transposeB ? bShape[bRank - 2] : bShape[bRank - 1];
  if (k !== kB) return null;
  const batchA = sizeOf(aShape.slice(0, -2));
  const batchB = sizeOf(bShape.slice(0, -2));
  let outerDims: number[];
  try {
    outerDims = tf.broadcast_util.assertAndGetBroadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  } catch {
    return null;
  }
  const batch = Math.max(batchA, batchB);
  if (sizeOf(outerDims) !== batch || batchA === 0 || batchB === 0 || m * n === 0) return null;
  return { batch, batchA, batchB, m, n, k, outShape: [...outerDims, m, n] };
}

/** Runs a planned product into a new output array. */
export function runMatMul(addon: NativeAddon, backend: MathBackendCPU, a: Float32Array, b: Float32Array, plan: MatMulPlan, transposeA: boolean, transposeB: boolean): Float32Array {
  const out = outputArray(backend, plan.batch * plan.m * plan.n);
  addon.batchMatMul(a, b, out, plan.batch, plan.batchA, plan.batchB, plan.m, plan.n, plan.k, transposeA, transposeB);
  return out;
}

/** MatMul and batched MatMul through the BLAS, every transpose combination. */
export const batchMatMulConfig = nativeKernel(tf.BatchMatMul, ({ inputs, attrs, backend }: NativeKernelArgs<tf.BatchMatMulAttrs>, addon) => {
  const { a, b } = inputs;
  const aValues = float32Values(backend, a);
  const bValues = float32Values(backend, b);
  if (!a || !b || !aValues || !bValues) return null;
  const plan = planMatMul(a.shape, b.shape, attrs.transposeA, attrs.transposeB);
  if (!plan) return null;
  return backend.makeTensorInfo(plan.outShape, 'float32', runMatMul(addon, backend, aValues, bValues, plan, attrs.transposeA, attrs.transposeB));
});
