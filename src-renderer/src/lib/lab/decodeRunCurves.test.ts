import { describe, expect, it } from 'vitest';
import { decodeCurve, decodeRunCurves } from './decodeRunCurves';

// Hand-written little-endian float32 bytes: 1.0 = 3F80 0000, 2.0 = 4000 0000, 1.5 = 3FC0 0000, −2 = C000 0000.
const f32 = { one: [0, 0, 0x80, 0x3f], two: [0, 0, 0, 0x40], oneAndHalf: [0, 0, 0xc0, 0x3f], minusTwo: [0, 0, 0, 0xc0] };
const base64 = (bytes: number[]): string => btoa(String.fromCharCode(...bytes));

describe('decodeRunCurves', () => {
  it('reads each column from its little-endian bytes in base64 into points', () => {
    const column = base64([...f32.one, ...f32.two]);
    const points = decodeCurve({
      length: 2,
      step: base64([...f32.oneAndHalf, ...f32.two]),
      epoch: column,
      seconds: base64([...f32.minusTwo, ...f32.one]),
      passes: column,
      value: base64([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]),
      min: column,
      max: column,
      count: base64([1, 0, 0, 0, 2, 1, 0, 0]),
    });
    expect(points).toEqual([
      { step: 1.5, epoch: 1, seconds: -2, passes: 1, value: 1, min: 1, max: 1, count: 1 },
      { step: 2, epoch: 2, seconds: 1, passes: 2, value: 2, min: 2, max: 2, count: 258 },
    ]);
  });

  it('keeps the run id and epochs, and refuses columns of the wrong length', () => {
    const one = base64(f32.one);
    const curve = { length: 1, step: one, epoch: one, seconds: one, passes: one, value: one, min: one, max: one, count: base64([3, 0, 0, 0]) };
    const epochs = [{ epoch: 0, steps: 1, seconds: 1, passes: 2, trainLoss: 1, trainAccuracy: null, valLoss: 1, valAccuracy: null }];
    expect(decodeRunCurves({ runId: 7, series: { loss: curve }, epochs })).toEqual({
      runId: 7,
      series: { loss: [{ step: 1, epoch: 1, seconds: 1, passes: 1, value: 1, min: 1, max: 1, count: 3 }] },
      epochs,
    });
    expect(() => decodeCurve({ ...curve, length: 2 })).toThrow(RangeError);
  });
});
