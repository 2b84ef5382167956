import { describe, expect, it } from 'vitest';
import { adaptLambda, curveballDampingDefaults } from './curveballDamping';

describe('adaptLambda', () => {
  const rule = curveballDampingDefaults;
  it('raises λ by 1/0.999⁵ when the loss fell less than half as much as predicted', () => {
    expect(adaptLambda(2, 0.3, rule)).toBeCloseTo(2 / 0.999 ** 5, 15);
  });
  it('lowers λ by 0.999⁵ when the loss fell more than 1.5 times as much as predicted', () => {
    expect(adaptLambda(2, 1.7, rule)).toBeCloseTo(2 * 0.995010, 6);
  });
  it('keeps λ when the ratio is within [0.5, 1.5], the bounds included', () => {
    for (const ratio of [0.5, 1, 1.5]) expect(adaptLambda(2, ratio, rule)).toBe(2);
  });
  it('keeps λ when the ratio is not a number (a degenerate model predicts no change)', () => {
    expect(adaptLambda(2, Number.NaN, rule)).toBe(2);
  });
});
