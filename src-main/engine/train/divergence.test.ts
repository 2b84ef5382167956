import { describe, expect, it } from 'vitest';
import { DivergenceWatch } from './divergence';

/** The first step (0-based) at which the watch calls the losses diverged, and why. */
function verdict(factor: ConstructorParameters<typeof DivergenceWatch>[0], losses: number[]): [number, string] | null {
  const watch = new DivergenceWatch(factor);
  for (const [step, loss] of losses.entries()) {
    const reason = watch.check(step, loss);
    if (reason !== null) return [step, reason];
  }
  return null;
}

describe('DivergenceWatch', () => {
  it('by default, a batch loss above 1000 × the first step\'s, saying which loss, at which step, against what', () => {
    expect(verdict(undefined, [2.3, 50, 2299, 2300])).toBeNull(); // 2300 = 1000 × 2.3 exactly is not above it
    expect(verdict(undefined, [2.3, 50, 1.8e19])).toEqual([2, "the batch loss 1.80e+19 at step 2 exceeds 1000 × the first step's 2.30"]);
  });

  it('with a factor of its own, and with the first step alone never diverging on the factor', () => {
    expect(verdict(2, [0.5, 0.9, 1.01])).toEqual([2, "the batch loss 1.01 at step 2 exceeds 2 × the first step's 0.500"]);
    expect(verdict(2, [1e9])).toBeNull();
  });

  it('a loss that is not finite diverges whatever the factor, off included', () => {
    expect(verdict('off', [1, 1e30, Number.NaN])).toEqual([2, 'the batch loss at step 2 is NaN']);
    expect(verdict(1e6, [Number.POSITIVE_INFINITY])).toEqual([0, 'the batch loss at step 0 is Infinity']);
  });

  it('off, or a first loss of 0, sets no bound on finite losses', () => {
    expect(verdict('off', [1, 1e30, 1e38])).toBeNull();
    expect(verdict(10, [0, 5, 1e10])).toBeNull();
  });
});
