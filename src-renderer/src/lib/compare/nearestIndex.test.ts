import { expect, test } from 'vitest';
import { nearestIndexByX } from './nearestIndex';

const xs = [0, 10, 20, 40];
const at = (i: number) => xs[i];

test('finds the nearest point, ties going to the left one', () => {
  expect(nearestIndexByX(4, at, 4, 5)).toBe(0);
  expect(nearestIndexByX(4, at, 6, 5)).toBe(1);
  expect(nearestIndexByX(4, at, 15, 5)).toBe(1);
  expect(nearestIndexByX(4, at, 31, 5)).toBe(3);
  expect(nearestIndexByX(4, at, 40, 5)).toBe(3);
});

test('outside the range only within the tolerance', () => {
  expect(nearestIndexByX(4, at, -5, 5)).toBe(0);
  expect(nearestIndexByX(4, at, -5.5, 5)).toBe(-1);
  expect(nearestIndexByX(4, at, 44, 5)).toBe(3);
  expect(nearestIndexByX(4, at, 46, 5)).toBe(-1);
  expect(nearestIndexByX(0, at, 0, 5)).toBe(-1);
  expect(nearestIndexByX(1, () => 7, 100, 1000)).toBe(0);
});
