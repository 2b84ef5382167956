import { describe, expect, it } from 'vitest';
import { encodeCurve } from './encodeCurve';

describe('encodeCurve', () => {
  it('sends each column as its little-endian bytes in base64', () => {
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
    // 1.5 = 0x3FF8000000000000, little-endian: 00 00 00 00 00 00 F8 3F; 0 is eight zero bytes.
    expect(encoded.step).toBe(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f]).toString('base64'));
    // −2 = 0xC000000000000000; 0.5 = 0x3FE0000000000000.
    expect([...Buffer.from(encoded.seconds, 'base64')]).toEqual([0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0xc0]);
    // Int32 1 and 258 = 0x102.
    expect([...Buffer.from(encoded.count, 'base64')]).toEqual([1, 0, 0, 0, 2, 1, 0, 0]);
    expect(encoded.value).toBe('AAAAAAAA8D8AAAAAAAAAQA==');
  });

  it('encodes a slice of a larger buffer as just its own entries', () => {
    const whole = new Float64Array([7, 1, 2]);
    const empty = new Float64Array(0);
    const encoded = encodeCurve({ step: whole.subarray(1), epoch: empty, seconds: empty, passes: empty, value: empty, min: empty, max: empty, count: new Int32Array(0) });
    expect(encoded.step).toBe('AAAAAAAA8D8AAAAAAAAAQA==');
    expect(encoded.epoch).toBe('');
  });
});
