import { describe, expect, it } from 'vitest';
import { axisTicks } from './axisTicks';

describe('axisTicks', () => {
  it('picks steps of 1, 2 or 5 × 10ᵏ inside the range', () => {
    expect(axisTicks(-2, 2, 4)).toEqual([-2, -1, 0, 1, 2]);
    expect(axisTicks(-1.3, 3.1, 5)).toEqual([-1, 0, 1, 2, 3]);
    expect(axisTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisTicks(0, 1, 2)).toEqual([0, 0.5, 1]);
    expect(axisTicks(0.05, 0.95, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
  });

  it('gives no ticks for an empty range', () => {
    expect(axisTicks(1, 1, 5)).toEqual([]);
  });
});
