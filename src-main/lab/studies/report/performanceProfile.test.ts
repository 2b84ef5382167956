import { describe, expect, it } from 'vitest';
import { performanceProfile } from './performanceProfile';
import { speedUps } from './speedUps';
import type { TargetProblem } from './targetProblems';

/** Problems with step counts only (null: not solved); passes and seconds are twice and a tenth of the steps. */
function problems(rows: (number | null)[][]): TargetProblem[] {
  return rows.map((times, i) => ({
    architecture: `arch ${i}`,
    seed: 1,
    target: { metric: 'trainLoss', value: 1 },
    times: times.map((t) => (t === null ? null : { steps: t, passes: 2 * t, seconds: t / 10 })),
  }));
}

// Steps of optimizers A, B, C on four problems; the ratios to each problem's best:
//   P1: 100 150 300  → 1    1.5  3
//   P2: 200 100  —   → 2    1    ∞
//   P3:  —   —   —   → ∞    ∞    ∞   (no one solves it: stays in the denominator)
//   P4:  50  50 100  → 1    1    2
const fourProblems = problems([
  [100, 150, 300],
  [200, 100, null],
  [null, null, null],
  [50, 50, 100],
]);

describe('performance profiles', () => {
  it('give each optimizer the fraction of problems solved within τ × the best time', () => {
    const profile = performanceProfile(fourProblems, ['A', 'B', 'C'], 'steps', [1, 1.5, 2, 2.9, 3, 4]);
    expect(profile.problems).toBe(4);
    expect(profile.curves).toEqual([
      { optimizer: 'A', fractions: [2 / 4, 2 / 4, 3 / 4, 3 / 4, 3 / 4, 3 / 4] },
      { optimizer: 'B', fractions: [2 / 4, 3 / 4, 3 / 4, 3 / 4, 3 / 4, 3 / 4] },
      { optimizer: 'C', fractions: [0, 0, 1 / 4, 1 / 4, 2 / 4, 2 / 4] },
    ]);
    // The ratios do not depend on the clock's unit.
    expect(performanceProfile(fourProblems, ['A', 'B', 'C'], 'seconds', [1, 1.5, 2, 2.9, 3, 4]).curves).toEqual(profile.curves);
  });

  it('count a time of exactly τ × the best, though 1.15 × 100 = 114.99999999999999 in floating point', () => {
    const profile = performanceProfile(problems([[100, 115]]), ['A', 'B'], 'steps', [1.1, 1.15]);
    expect(profile.curves[1]!.fractions).toEqual([0, 1]);
  });

  it('give the geometric-mean speed-up over the problems both optimizers solved', () => {
    const pairs = speedUps(fourProblems, ['A', 'B', 'C'], 'passes');
    // A against B: P1 150/100, P2 100/200, P4 50/50 → (1.5 · 0.5 · 1)^(1/3).
    expect(pairs[0]![1]!.speedUp).toBeCloseTo(0.75 ** (1 / 3), 12);
    expect(pairs[0]![1]!.problems).toBe(3);
    expect(pairs[1]![0]!.speedUp).toBeCloseTo(0.75 ** (-1 / 3), 12);
    // A against C: P1 300/100, P4 100/50 → √6; C against B: P1 150/300, P4 50/100 → 0.5.
    expect(pairs[0]![2]).toMatchObject({ optimizer: 'A', against: 'C', problems: 2 });
    expect(pairs[0]![2]!.speedUp).toBeCloseTo(Math.sqrt(6), 12);
    expect(pairs[2]![1]!.speedUp).toBeCloseTo(0.5, 12);
    expect(pairs.map((row, i) => row[i])).toEqual([null, null, null]);
  });

  it('have no speed-up where two optimizers never both solved a problem', () => {
    const pairs = speedUps(problems([[10, null], [null, 20]]), ['A', 'B'], 'steps');
    expect(pairs[0]![1]).toEqual({ optimizer: 'A', against: 'B', speedUp: null, problems: 0 });
  });
});
