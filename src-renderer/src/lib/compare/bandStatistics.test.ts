import { describe, expect, test } from 'vitest';
import { bandEdges, countChanges, tQuantile975 } from './bandStatistics';

/** Student's t CDF by Simpson's rule on its density (an independent check of the quantiles). */
function tCdf(t: number, df: number): number {
  const logGamma = (x: number): number => {
    // Lanczos (g = 7), accurate to ~1e-13 for x > 0.5.
    const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
    x -= 1;
    let a = c[0]!;
    const s = x + 7.5;
    for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(s) - s + Math.log(a);
  };
  const norm = Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2)) / Math.sqrt(df * Math.PI);
  const density = (u: number) => norm * (1 + (u * u) / df) ** (-(df + 1) / 2);
  const steps = 20000;
  const h = t / steps;
  let sum = density(0) + density(t);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + (sum * h) / 3;
}

describe('tQuantile975', () => {
  test.each([1, 2, 3, 4, 9, 29, 30, 31, 45, 100, 1000])('df = %i: P(T ≤ t) = 0.975', (df) => {
    expect(tCdf(tQuantile975(df), df)).toBeCloseTo(0.975, 4);
  });

  test('known values by hand from tables: 12.706 (1), 4.303 (2), 2.042 (30), 1.984 (100); tends to 1.960', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(tQuantile975(2)).toBeCloseTo(4.303, 3);
    expect(tQuantile975(30)).toBeCloseTo(2.042, 3);
    expect(tQuantile975(100)).toBeCloseTo(1.984, 3);
    expect(tQuantile975(1e6)).toBeCloseTo(1.96, 3);
  });

  test('refuses a degree of freedom that is not a positive integer', () => {
    expect(() => tQuantile975(0)).toThrow(RangeError);
    expect(() => tQuantile975(2.5)).toThrow(/positive integer/);
  });
});

describe('bandEdges', () => {
  // Runs 1, 2, 3, 4 at one x: mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, so
  // sd = √(5/3) = 1.290994; se = sd/2 = 0.645497; 95 % CI half-width = 3.182446 · 0.645497 = 2.054260.
  const p = { mean: 2.5, min: 1, max: 4, sd: Math.sqrt(5 / 3), count: 4 };

  test('min–max: the extreme runs', () => {
    expect(bandEdges('minmax', p)).toEqual({ low: 1, high: 4 });
  });

  test('sd, se and the t-based 95 % interval, against hand computation', () => {
    const sd = bandEdges('sd', p);
    expect(sd.low).toBeCloseTo(2.5 - 1.290994, 6);
    expect(sd.high).toBeCloseTo(2.5 + 1.290994, 6);
    const se = bandEdges('se', p);
    expect(se.low).toBeCloseTo(2.5 - 0.645497, 6);
    expect(se.high).toBeCloseTo(2.5 + 0.645497, 6);
    const ci = bandEdges('ci95', p);
    expect(ci.low).toBeCloseTo(2.5 - 2.05426, 5);
    expect(ci.high).toBeCloseTo(2.5 + 2.05426, 5);
  });

  test('one run has no spread: the band closes on the point', () => {
    const single = { mean: 3, min: 3, max: 3, sd: 0, count: 1 };
    for (const kind of ['sd', 'se', 'ci95'] as const) expect(bandEdges(kind, single)).toEqual({ low: 3, high: 3 });
  });
});

describe('countChanges', () => {
  test('the first point and every x where the count changes', () => {
    expect(countChanges([0, 1, 2, 3, 4, 5], [3, 3, 2, 2, 3, 1])).toEqual([
      { x: 0, count: 3 },
      { x: 2, count: 2 },
      { x: 4, count: 3 },
      { x: 5, count: 1 },
    ]);
    expect(countChanges([], [])).toEqual([]);
  });
});
