import { expect, test } from 'vitest';
import { hwcToRgba } from './sampleImage';

test('a grey 1×2 image repeats its channel, opaque', () => {
  expect([...hwcToRgba([0, 200], 1, 2, 1)]).toEqual([0, 0, 0, 255, 200, 200, 200, 255]);
});

test('a colour 2×1 image keeps its channels in order', () => {
  expect([...hwcToRgba([10, 20, 30, 40, 50, 60], 2, 1, 3)]).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
});

test('out-of-range values are clamped like a canvas would', () => {
  expect([...hwcToRgba([300, -5], 1, 2, 1)]).toEqual([255, 255, 255, 255, 0, 0, 0, 255]);
});

test('a sample of the wrong length is refused with the expected size', () => {
  expect(() => hwcToRgba([1, 2, 3], 2, 2, 1)).toThrow('sample has 3 values, expected 2×2×1 = 4');
});
