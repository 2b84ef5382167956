import { describe, expect, it } from 'vitest';
import { encodeCurve } from './encodeCurve';

describe('encodeCurve', () => {
  it('sends each column as its little-endian float32 (count: int32) bytes in base64', () => {
    const f64 = (...values: number[]) => new Float64Array(values);
    const encoded = encodeCurve({
      step: f64(0, 1.5),
      epoch: f64(1, 2),
      seconds: f64(0.5, -2),
      passes: f64(2, 4),
      value: f64(1, 2),
      min: f64(1, 2),
      max: f64(1, 2),
      count: new Int32Array([1, 258]),
    });
    expect(encoded.length).toBe(2);
    // float32 1.5 = 0x3FC00000, little-endian: 00 00 C0 3F; 0 is four zero bytes.
    expect(encoded.step).toBe(Buffer.from([0, 0, 0, 0, 0, 0, 0xc0, 0x3f]).toString('base64'));
    // −2 = 0xC0000000; 0.5 = 0x3F000000.
    expect([...Buffer.from(encoded.seconds, 'base64')]).toEqual([0, 0, 0, 0x3f, 0, 0, 0, 0xc0]);
    // Int32 1 and 258 = 0x102.
    expect([...Buffer.from(encoded.count, 'base64')]).toEqual([1, 0, 0, 0, 2, 1, 0, 0]);
    // 1 = 0x3F800000, 2 = 0x40000000.
    expect(encoded.value).toBe(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]).toString('base64'));
  });

  it('rounds to float32: 0.1 becomes its nearest float32, 0x3DCCCCCD', () => {
    const one = new Float64Array([0.1]);
    const encoded = encodeCurve({ step: one, epoch: one, seconds: one, passes: one, value: one, min: one, max: one, count: new Int32Array([1]) });
    expect([...Buffer.from(encoded.value, 'base64')]).toEqual([0xcd, 0xcc, 0xcc, 0x3d]);
  });

  it('encodes a slice of a larger buffer as just its own entries', () => {
    const whole = new Float64Array([7, 1, 2]);
    const empty = new Float64Array(0);
    const encoded = encodeCurve({ step: whole.subarray(1), epoch: empty, seconds: empty, passes: empty, value: empty, min: empty, max: empty, count: new Int32Array(0) });
    expect([...Buffer.from(encoded.step, 'base64')]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
    expect(encoded.epoch).toBe('');
  });
});
