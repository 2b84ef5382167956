import { describe, expect, it } from 'vitest';
import { benchmarkStore } from './benchmarkStore';

describe('benchmarkStore', () => {
  it('writes and reads back every run (numbers are for the benchmark to print, not asserted)', () => {
    const result = benchmarkStore(2, 300, 50);
    expect(result).toMatchObject({ runs: 2, stepsPerRun: 300, points: 50 });
    expect(result.rowsPerSecond).toBeGreaterThan(0);
    expect(result.readSeconds).toBeGreaterThan(0);
  });
});
