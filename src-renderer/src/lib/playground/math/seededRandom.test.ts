import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seededRandom';

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => random.uniform());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws uniforms in [0, 1) with mean ½ and normals with mean 0 and variance 1', () => {
    const random = new SeededRandom(7);
    const n = 40_000;
    let uniformSum = 0;
    let normalSum = 0;
    let normalSquares = 0;
    let uniformMin = Infinity;
    let uniformMax = -Infinity;
    for (let k = 0; k < n; k++) {
      const u = random.uniform();
      uniformMin = Math.min(uniformMin, u);
      uniformMax = Math.max(uniformMax, u);
      uniformSum += u;
      const z = random.normal();
      normalSum += z;
      normalSquares += z * z;
    }
    expect(uniformMin).toBeGreaterThanOrEqual(0);
    expect(uniformMax).toBeLessThan(1);
    // Standard errors: 0.29/√n ≈ 0.0014 and 1/√n = 0.005; allow about four of them.
    expect(Math.abs(uniformSum / n - 0.5)).toBeLessThan(0.006);
    expect(Math.abs(normalSum / n)).toBeLessThan(0.02);
    expect(Math.abs(normalSquares / n - 1)).toBeLessThan(0.03);
  });
});
