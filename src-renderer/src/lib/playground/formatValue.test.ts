import { describe, expect, it } from 'vitest';
import { formatValue } from './formatValue';

describe('formatValue', () => {
  it('gives four significant digits in the middle range', () => {
    expect(formatValue(3.14159)).toBe('3.142');
    expect(formatValue(24.2)).toBe('24.2');
    expect(formatValue(-0.012345)).toBe('−0.01235');
  });

  it('switches to exponent form for tiny and huge values', () => {
    expect(formatValue(1.234e-14)).toBe('1.23e−14');
    expect(formatValue(123456)).toBe('1.23e+5');
  });

  it('names zero and non-numbers plainly', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(Number.NaN)).toBe('—');
    expect(formatValue(Infinity)).toBe('∞');
  });
});
