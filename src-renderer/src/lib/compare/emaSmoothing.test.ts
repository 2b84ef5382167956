import { describe, expect, test } from 'vitest';
import { smoothDebiasedEma } from './emaSmoothing';

describe('smoothDebiasedEma', () => {
  test('matches the debiased EMA computed by hand (w = 0.5)', () => {
    // ema: 0.5, 1.25, 2.125, 3.0625; divided by 1 − 0.5^t: 0.5, 0.75, 0.875, 0.9375.
    const out = smoothDebiasedEma([1, 2, 3, 4], 0.5);
    expect(out[0]).toBe(1);
    expect(out[1]).toBeCloseTo(5 / 3, 12);
    expect(out[2]).toBeCloseTo(17 / 7, 12);
    expect(out[3]).toBeCloseTo(49 / 15, 12);
  });

  test('the first point equals the raw value, whatever the weight', () => {
    for (const w of [0.1, 0.6, 0.99]) expect(smoothDebiasedEma([7.25, 0, 0], w)[0]).toBeCloseTo(7.25, 12);
  });

  test('a constant series stays exactly constant (the debiasing removes the pull towards 0)', () => {
    for (const y of smoothDebiasedEma([3, 3, 3, 3, 3], 0.9)) expect(y).toBe(3);
    for (const y of smoothDebiasedEma(new Array(500).fill(0.1), 0.6)) expect(y).toBe(0.1);
  });

  test('weight 0 is the raw series', () => {
    expect(smoothDebiasedEma([4, 1, 9], 0)).toEqual([4, 1, 9]);
  });

  test('non-finite values pass through and do not enter the average', () => {
    // Finite values 2 then 4: ema 1, then 0.5 + 2 = 2.5, debiased 2.5 / 0.75.
    const out = smoothDebiasedEma([2, Number.NaN, 4, Number.POSITIVE_INFINITY], 0.5);
    expect(out[0]).toBe(2);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(10 / 3, 12);
    expect(out[3]).toBe(Number.POSITIVE_INFINITY);
  });

  test('rejects a weight outside [0, 1)', () => {
    expect(() => smoothDebiasedEma([1], 1)).toThrow(/smoothing weight must be in \[0, 1\), got 1/);
    expect(() => smoothDebiasedEma([1], -0.1)).toThrow(RangeError);
    expect(() => smoothDebiasedEma([1], Number.NaN)).toThrow(RangeError);
  });
});
