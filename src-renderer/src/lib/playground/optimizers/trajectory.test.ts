import { describe, expect, it } from 'vitest';
import { createQuadratic } from '../functions/quadratic';
import { createPlaneSgd } from './planeSgd';
import { escapeRadius, runTrajectory } from './trajectory';

describe('runTrajectory', () => {
  const fn = createQuadratic();

  it('records steps + 1 points, starting at the start, with f at each', () => {
    const t = runTrajectory(createPlaneSgd({ learningRate: 0.01 }), fn, fn.value, [1, 0], 3);
    expect(t.points).toHaveLength(4);
    expect(t.values).toHaveLength(4);
    expect(t.traces).toHaveLength(3);
    expect(t.points[0]).toEqual([1, 0]);
    expect(t.values[2]).toBe(fn.value(t.points[2]));
    expect(t.divergedAt).toBeNull();
  });

  it('freezes a diverging run at its last point inside the escape radius', () => {
    // lr = 1 on curvature 50 multiplies the steep component by −49 each step: 49ᵏ passes 1e6 at k = 4.
    const t = runTrajectory(createPlaneSgd({ learningRate: 1 }), fn, fn.value, [0, 1], 10);
    expect(t.points).toHaveLength(11);
    expect(t.divergedAt).not.toBeNull();
    const last = t.points[t.divergedAt!];
    expect(Math.hypot(...last)).toBeLessThanOrEqual(escapeRadius);
    for (let k = t.divergedAt!; k <= 10; k++) expect(t.points[k]).toEqual(last);
    expect(t.values.every(Number.isFinite)).toBe(true);
  });
});
