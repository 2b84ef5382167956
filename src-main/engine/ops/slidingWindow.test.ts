import { describe, expect, it } from 'vitest';
import { windowInputCounts, windowOutputLength, windowPadding } from './slidingWindow';

describe('window geometry (TensorFlow padding rules)', () => {
  it('computes output lengths', () => {
    expect(windowOutputLength(5, 3, 1, 'valid')).toBe(3);
    expect(windowOutputLength(5, 3, 2, 'valid')).toBe(2);
    expect(windowOutputLength(6, 3, 2, 'valid')).toBe(2);
    expect(windowOutputLength(5, 3, 2, 'same')).toBe(3);
    expect(windowOutputLength(6, 3, 2, 'same')).toBe(3);
    expect(windowOutputLength(32, 5, 1, 'same')).toBe(32);
  });

  it("pads 'same' windows with the odd pad after", () => {
    // 6 inputs, 3-wide windows, stride 2: 3 outputs need (3−1)·2 + 3 = 7 positions, so 1 pad, after.
    expect(windowPadding(6, 3, 2, 'same')).toEqual({ before: 0, after: 1 });
    // 5 inputs, 3-wide, stride 2: 3 outputs need 7 positions, 2 pads, one each side.
    expect(windowPadding(5, 3, 2, 'same')).toEqual({ before: 1, after: 1 });
    expect(windowPadding(5, 3, 1, 'valid')).toEqual({ before: 0, after: 0 });
  });

  it('counts the real inputs of each window', () => {
    expect(windowInputCounts(6, 3, 2, 'same')).toEqual([3, 3, 2]);
    expect(windowInputCounts(5, 3, 2, 'same')).toEqual([2, 3, 2]);
    expect(windowInputCounts(5, 3, 1, 'valid')).toEqual([3, 3, 3]);
  });
});
