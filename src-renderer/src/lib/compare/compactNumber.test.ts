import { expect, test } from 'vitest';
import { formatCompact } from './compactNumber';

test('four significant digits in the ordinary range', () => {
  expect(formatCompact(0.123456)).toBe('0.1235');
  expect(formatCompact(2.302585)).toBe('2.303');
  expect(formatCompact(-0.5)).toBe('-0.5');
  expect(formatCompact(2)).toBe('2');
  expect(formatCompact(0.001)).toBe('0.001');
});

test('whole numbers from 1000 up to a million', () => {
  expect(formatCompact(1234.56)).toBe('1235');
  expect(formatCompact(999999)).toBe('999999');
});

test('exponent notation for tiny and huge magnitudes, mantissa without trailing zeros', () => {
  expect(formatCompact(0.000123456)).toBe('1.23e-4');
  expect(formatCompact(-0.0005)).toBe('-5e-4');
  expect(formatCompact(4.5e6)).toBe('4.5e6');
  expect(formatCompact(1e10)).toBe('1e10');
});

test('zero and non-finite values', () => {
  expect(formatCompact(0)).toBe('0');
  expect(formatCompact(Number.NaN)).toBe('NaN');
  expect(formatCompact(Number.POSITIVE_INFINITY)).toBe('Infinity');
});
