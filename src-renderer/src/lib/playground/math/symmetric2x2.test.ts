import { describe, expect, it } from 'vitest';
import { bilinear, multiply, pseudoInverseSolve } from './symmetric2x2';

describe('symmetric 2×2 products', () => {
  it('multiplies by hand', () => {
    // [[2, 1], [1, 3]]·(1, −2) = (0, −5); (1, −2)ᵀ·(0, −5) = 10
    expect(multiply({ xx: 2, xy: 1, yy: 3 }, [1, -2])).toEqual([0, -5]);
    expect(bilinear([1, -2], { xx: 2, xy: 1, yy: 3 }, [1, -2])).toBe(10);
  });
});

describe('pseudoInverseSolve', () => {
  it('solves an invertible system: [[4, 1], [1, 3]]⁻¹(1, 2) = (1, 7)/11', () => {
    const [x, y] = pseudoInverseSolve({ xx: 4, xy: 1, yy: 3 }, [1, 2]);
    expect(x).toBeCloseTo(1 / 11, 14);
    expect(y).toBeCloseTo(7 / 11, 14);
  });

  it('handles an indefinite matrix: diag(1, −2)⁻¹(1, 1) = (1, −½)', () => {
    const [x, y] = pseudoInverseSolve({ xx: 1, xy: 0, yy: -2 }, [1, 1]);
    expect(x).toBeCloseTo(1, 14);
    expect(y).toBeCloseTo(-0.5, 14);
  });

  it('gives the least-norm answer for a rank-one matrix: A = vvᵀ, v = (1, 2), pinv(A) = A/25', () => {
    // pinv(A)(3, 1) = vvᵀ(3, 1)/25 = v·5/25 = (0.2, 0.4)
    const [x, y] = pseudoInverseSolve({ xx: 1, xy: 2, yy: 4 }, [3, 1]);
    expect(x).toBeCloseTo(0.2, 14);
    expect(y).toBeCloseTo(0.4, 14);
  });

  it('treats a zero block as singular (CurveBall’s first step): diag(5, 0)·m = (2, 7) gives (0.4, 0)', () => {
    expect(pseudoInverseSolve({ xx: 5, xy: 0, yy: 0 }, [2, 7])).toEqual([0.4, 0]);
  });

  it('returns (0, 0) for a zero or non-finite matrix', () => {
    expect(pseudoInverseSolve({ xx: 0, xy: 0, yy: 0 }, [1, 1])).toEqual([0, 0]);
    expect(pseudoInverseSolve({ xx: Number.NaN, xy: 0, yy: 1 }, [1, 1])).toEqual([0, 0]);
    expect(pseudoInverseSolve({ xx: Infinity, xy: 0, yy: 1 }, [1, 1])).toEqual([0, 0]);
  });
});
