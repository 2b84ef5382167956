import { expect, test } from 'vitest';
import { formatMetric } from './formatMetric';

test('prints ordinary values with fixed decimals', () => {
  expect(formatMetric(0.693147)).toBe('0.6931');
  expect(formatMetric(0)).toBe('0.0000');
  expect(formatMetric(999_999.5)).toBe('999999.5000');
  expect(formatMetric(0.91234, 3)).toBe('0.912');
  expect(formatMetric(-2.5)).toBe('-2.5000');
});

test('switches to scientific notation past 1e6 and below 1e-3', () => {
  expect(formatMetric(17899064893414187008)).toBe('1.790e+19');
  expect(formatMetric(1e6)).toBe('1.000e+6');
  expect(formatMetric(-3.2e7)).toBe('-3.200e+7');
  expect(formatMetric(0.00001)).toBe('1.000e-5');
});

test('says what is not a number, and dashes a missing metric', () => {
  expect(formatMetric(Number.NaN)).toBe('NaN');
  expect(formatMetric(Number.POSITIVE_INFINITY)).toBe('Infinity');
  expect(formatMetric(null)).toBe('–');
});
