import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('is reproducible for a seed and differs between seeds and purposes', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
    expect(Rng.derive(7, 'init').uniform()).not.toBe(Rng.derive(7, 'batches').uniform());
  });

  it('draws uniforms with mean 1/2 and normals with mean 0 and variance 1', () => {
    const r = new Rng(1);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    for (let i = 0; i < n; i++) {
      su += r.uniform();
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    // Standard errors: 0.29/sqrt(n) ≈ 6.5e-4, 1/sqrt(n) ≈ 2.2e-3, sqrt(2/n) ≈ 3.2e-3.
    expect(Math.abs(su / n - 0.5)).toBeLessThan(4e-3);
    expect(Math.abs(sn / n)).toBeLessThan(1.2e-2);
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(1.6e-2);
  });

  it('makes permutations', () => {
    const p = new Rng(3).permutation(1000);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('goes on from its state as the generator it came from does, a cached normal included', () => {
    const original = Rng.derive(7, 'batches');
    original.permutation(50);
    original.normal(); // leaves the second normal of the pair cached
    const copy = Rng.fromState(JSON.parse(JSON.stringify(original.state())));
    const draws = (r: Rng) => [r.normal(), r.normal(), ...Array.from(r.permutation(20)), r.uniform()];
    expect(draws(copy)).toEqual(draws(original));
  });
});
