import { describe, expect, it } from 'vitest';
import { gapSeries } from './gapSeries';

describe('gapSeries', () => {
  it('gives f − f* per step, floored for the log axis', () => {
    expect(gapSeries([3, 1.5, 1, 1], 1, 1e-9)).toEqual([
      { x: 0, y: 2 },
      { x: 1, y: 0.5 },
      { x: 2, y: 1e-9 },
      { x: 3, y: 1e-9 },
    ]);
  });
});
