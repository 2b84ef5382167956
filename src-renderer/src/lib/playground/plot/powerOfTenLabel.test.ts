import { describe, expect, it } from 'vitest';
import { powerOfTenLabel } from './powerOfTenLabel';

describe('powerOfTenLabel', () => {
  it('labels powers of ten and leaves the minor ticks blank', () => {
    expect(powerOfTenLabel(1e-12)).toBe('1e−12');
    expect(powerOfTenLabel(1)).toBe('1');
    expect(powerOfTenLabel(1000)).toBe('1e3');
    expect(powerOfTenLabel(3e-4)).toBe('');
    expect(powerOfTenLabel(0)).toBe('');
  });
});
