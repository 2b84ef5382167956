/**
 * Test support (imported only by *.test.ts) for the `cpu-blas` backend: suites that need the addon, and
 * the comparison every native kernel is held to — the same op on TF.js's plain `cpu` backend, from the
 * same input values, with a check that the native function really ran (a silent fallback would compare
 * TF.js with itself).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../rng';
import { tf } from '../tf';
import { loadNativeBackend } from './loadNativeBackend';
import { loadNativeAddon, NativeAddonUnavailableError, type NativeAddon } from './nativeAddon';
import { NATIVE_BACKEND } from './nativeKernel';

/** Set to 1 where the addon cannot be built: the native suites then skip, saying why, instead of failing. */
export const ALLOW_NO_NATIVE_ENV = 'CURVELAB_ALLOW_NO_NATIVE';

const unavailable: Error | null = await loadNativeBackend().then(
  () => null,
  (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
);

/**
 * describe() for a suite that needs the `cpu-blas` backend. Without the addon the suite fails with the
 * loader's message (how to build it), unless CURVELAB_ALLOW_NO_NATIVE=1, when it is skipped with a
 * printed reason.
 */
export function describeNative(name: string, body: () => void): void {
  if (!unavailable) {
    describe(name, body);
    return;
  }
  // Only a missing addon may be excused; any other failure to load is a bug and fails the suite.
  if (unavailable instanceof NativeAddonUnavailableError && process.env[ALLOW_NO_NATIVE_ENV] === '1') {
    console.warn(`[native] skipping "${name}": ${unavailable.message} (${ALLOW_NO_NATIVE_ENV}=1)`);
    describe.skip(name, body);
    return;
  }
  describe(name, () => {
    it('has the native CPU kernels', () => {
      throw new Error(`${unavailable.message}. Where the addon cannot be built, set ${ALLOW_NO_NATIVE_ENV}=1 to skip these tests.`);
    });
  });
}

/** Runs the enclosing suite's tests on `backend`, and switches back to the previous backend after them. */
export function useBackend(backend: string): void {
  let previous = '';
  beforeAll(async () => {
    await tf.ready();
    previous = tf.getBackend();
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });
}

export type AddonFunction = Exclude<keyof NativeAddon, 'info' | 'reuseFreedMemory' | 'setBlasThreads'>;

/** An input of a compared op: values made once, turned into a tensor on each backend. */
export interface InputValues {
  shape: number[];
  values: Float32Array | Int32Array;
}

export function randomInput(rng: Rng, shape: number[], scale = 1): InputValues {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = scale * rng.normal();
  return { shape, values };
}

/** Values from a handful of levels, so that max-pool windows have ties (as after a ReLU). */
export function tiedInput(rng: Rng, shape: number[], levels = 3): InputValues {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = Math.max(0, rng.int(levels) - 1);
  return { shape, values };
}

export function intInput(shape: number[], values: number[]): InputValues {
  return { shape, values: Int32Array.from(values) };
}

interface Result {
  shape: number[];
  dtype: string;
  values: Float32Array | Int32Array | Uint8Array;
}

export interface CpuParityOptions {
  /** Addon functions that must run on cpu-blas (empty: the case must fall back to TF.js). */
  native: AddonFunction[];
  /** Relative tolerance (the BLAS sums in another order); int32 outputs must match exactly. */
  rtol?: number;
}

/**
 * Runs op on `cpu` and on `cpu-blas` from the same input values and expects the same shapes, dtypes and
 * values: |native − cpu| ≤ rtol·(|cpu| + max|cpu|/10). Expects each function in `native` to have been
 * called on cpu-blas, and none at all when the list is empty.
 */
export async function expectSameAsCpu(inputs: InputValues[], op: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], options: CpuParityOptions): Promise<void> {
  const reference = await runOn('cpu', inputs, op);
  const addon = loadNativeAddon();
  const watched: AddonFunction[] = [
    'batchMatMul', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'maxPool', 'maxPoolGrad', 'avgPool', 'avgPoolGrad',
    'binary', 'relu', 'step', 'sum', 'gather', 'axpby', 'axpbySquare', 'divideByRoot', 'reluDerivativeTimes', 'innerProducts',
  ];
  const spies = watched.map((name) => [name, vi.spyOn(addon, name)] as const);
  let native: Result[];
  try {
    native = await runOn(NATIVE_BACKEND, inputs, op);
    for (const [name, spy] of spies) {
      if (options.native.includes(name)) expect(spy, `native ${name} should have run`).toHaveBeenCalled();
      else if (options.native.length === 0) expect(spy, `the case should fall back to TF.js, but native ${name} ran`).not.toHaveBeenCalled();
    }
  } finally {
    for (const [, spy] of spies) spy.mockRestore();
  }
  expect(native.length).toBe(reference.length);
  const rtol = options.rtol ?? 1e-4;
  reference.forEach((ref, k) => {
    const got = native[k];
    expect(got.shape, `output ${k} shape`).toEqual(ref.shape);
    expect(got.dtype, `output ${k} dtype`).toBe(ref.dtype);
    if (ref.dtype !== 'float32') {
      expect(Array.from(got.values), `output ${k} values`).toEqual(Array.from(ref.values));
      return;
    }
    let scale = 0;
    for (const v of ref.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    let worst = { index: -1, excess: 0 };
    for (let i = 0; i < ref.values.length; i++) {
      const a = ref.values[i];
      const b = got.values[i];
      if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) continue;
      const excess = Math.abs(a - b) - rtol * (Math.abs(a) + scale / 10);
      if (!(excess <= worst.excess)) worst = { index: i, excess: Number.isNaN(excess) ? Infinity : excess };
    }
    if (worst.index >= 0) {
      const i = worst.index;
      expect.fail(`output ${k}: element ${i} is ${got.values[i]} on ${NATIVE_BACKEND}, ${ref.values[i]} on cpu (rtol ${rtol}, scale ${scale})`);
    }
  });
}

async function runOn(backend: string, inputs: InputValues[], op: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((input) => tf.tensor(input.values, input.shape, input.values instanceof Int32Array ? 'int32' : 'float32'));
    const out = op(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.dataSync() as Result['values'] }));
  });
}

export { Rng };
