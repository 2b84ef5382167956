import { beforeAll, expect, it } from 'vitest';
import { loadNativeAddon, type NativeAddon, type WindowGeometry } from './nativeAddon';
import { describeNative } from './nativeBackend.testkit';

// The pure native functions against hand-computed values, and their argument checks (a wrong size must
// be an exception, never a read or write past an array).
describeNative('the native addon', () => {
  let addon: NativeAddon;
  beforeAll(() => {
    addon = loadNativeAddon();
  });

  it('multiplies a 2×3 by a 3×2 matrix, and with both transposed', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float32Array.from([7, 8, 9, 10, 11, 12]);
    const out = new Float32Array(4);
    addon.batchMatMul(a, b, out, 1, 1, 1, 2, 2, 3, false, false);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
    // The same product from aᵀ (3×2) and bᵀ (2×3) as stored, with both transpose flags set.
    addon.batchMatMul(Float32Array.from([1, 4, 2, 5, 3, 6]), Float32Array.from([7, 9, 11, 8, 10, 12]), out, 1, 1, 1, 2, 2, 3, true, true);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
  });

  it('convolves a 3×3 image with a 2×2 filter (valid) by hand', () => {
    const g: WindowGeometry = {
      batch: 1, inHeight: 3, inWidth: 3, inChannels: 1, outHeight: 2, outWidth: 2, outChannels: 1,
      filterHeight: 2, filterWidth: 2, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0,
    };
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const w = Float32Array.from([1, 0, 0, -1]);
    const y = new Float32Array(4);
    addon.conv2d(x, w, y, g);
    expect(Array.from(y)).toEqual([1 - 5, 2 - 6, 4 - 8, 5 - 9]);
  });

  it('max-pools with argmax and pads "same" windows with nothing', () => {
    const g: WindowGeometry = {
      batch: 1, inHeight: 3, inWidth: 3, inChannels: 1, outHeight: 2, outWidth: 2, outChannels: 1,
      filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2, padTop: 0, padLeft: 0,
    };
    const x = Float32Array.from([1, 9, 3, 4, 5, -6, -7, -8, -9]);
    const y = new Float32Array(4);
    const argmax = new Int32Array(4);
    addon.maxPool(x, y, argmax, g, false);
    expect(Array.from(y)).toEqual([9, 3, -7, -9]);
    expect(Array.from(argmax)).toEqual([1, 2, 6, 8]);
    const avg = new Float32Array(4);
    addon.avgPool(x, avg, g);
    expect(Array.from(avg)).toEqual([(1 + 9 + 4 + 5) / 4, (3 - 6) / 2, (-7 - 8) / 2, -9]);
  });

  it('sums the middle axis in float64', () => {
    // 2^24 + 1 + 1 is not representable step by step in float32, but is exact in float64.
    const x = Float32Array.from([2 ** 24, 1, 1, 0]);
    const out = new Float32Array(1);
    addon.sum(x, out, 1, 4, 1);
    expect(out[0]).toBe(2 ** 24 + 2);
  });

  it('rejects arrays of the wrong size or type, naming the argument', () => {
    const g: WindowGeometry = {
      batch: 1, inHeight: 4, inWidth: 4, inChannels: 2, outHeight: 4, outWidth: 4, outChannels: 3,
      filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, padTop: 1, padLeft: 1,
    };
    expect(() => addon.conv2d(new Float32Array(31), new Float32Array(54), new Float32Array(48), g)).toThrow(/conv2d: x has 31 elements, expected 32/);
    expect(() => addon.conv2d(new Float32Array(32), new Float32Array(54), new Float32Array(47), g)).toThrow(RangeError);
    expect(() => addon.conv2d(new Float64Array(32) as unknown as Float32Array, new Float32Array(54), new Float32Array(48), g)).toThrow(
      /conv2d: x must be a Float32Array/,
    );
    expect(() => addon.conv2d(new Float32Array(32), new Float32Array(54), new Float32Array(48), { ...g, strideWidth: 0 })).toThrow(/at least 1/);
    expect(() => addon.batchMatMul(new Float32Array(6), new Float32Array(6), new Float32Array(4), 1, 1, 1, 2, 2, 2.5, false, false)).toThrow(
      /k must be a non-negative 32-bit integer/,
    );
    expect(() => addon.binary('add', new Float32Array(6), [2, 3], new Float32Array(2), [2], new Float32Array(6), [2, 3])).toThrow(/bShape does not broadcast/);
    expect(() => addon.binary('pow' as 'add', new Float32Array(1), [1], new Float32Array(1), [1], new Float32Array(1), [1])).toThrow(/op must be/);
  });

  it('takes inner products of shared operands, and checks its arguments', () => {
    const a = Float32Array.from([1, 2, 3]);
    const b = Float32Array.from([-1, 0.5, 2]);
    const out = new Float64Array(3);
    addon.innerProducts([a, b], Int32Array.from([0, 0, 0, 1, 1, 1]), out);
    expect(Array.from(out)).toEqual([14, 6, 5.25]);
    expect(() => addon.innerProducts([a, new Float32Array(2)], Int32Array.from([0, 1]), new Float64Array(1))).toThrow(
      /innerProducts: arrays element 1 has 2 elements, expected 3/,
    );
    expect(() => addon.innerProducts([a], Int32Array.from([0, 1]), new Float64Array(1))).toThrow(/pairs index 1 is outside the arrays/);
    expect(() => addon.innerProducts([a], Int32Array.from([0, 0, 0]), new Float64Array(1))).toThrow(/even number/);
    expect(() => addon.innerProducts([a], Int32Array.from([0, 0]), new Float64Array(2))).toThrow(/out must be a Float64Array with one element per pair/);
    expect(() => addon.axpby(1, a, 1, new Float32Array(2), new Float32Array(3))).toThrow(/axpby: b has 2 elements, expected 3/);
    expect(() => addon.reluDerivativeTimes(a, b, new Float32Array(4))).toThrow(/reluDerivativeTimes: out has 4 elements, expected 3/);
  });

  it('reports a bad gather index instead of reading past the array', () => {
    const out = new Float32Array(2);
    expect(addon.gather(Float32Array.from([1, 2, 3]), Int32Array.from([2, 3]), out, 1, 3, 1)).toBe(1);
    expect(addon.gather(Float32Array.from([1, 2, 3]), Int32Array.from([2, 0]), out, 1, 3, 1)).toBe(-1);
    expect(Array.from(out)).toEqual([3, 1]);
  });
});
