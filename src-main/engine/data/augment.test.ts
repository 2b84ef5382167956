import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { augmentBatch } from './augment';

/**
 * An Rng stand-in that returns chosen draws, so a test can ask for an exact flip and shift:
 * `uniform` values decide the flip (< 0.5 flips), `int(5)` values v give a shift of v − 2.
 */
function scriptedRng(draws: { flip: boolean; shiftY: number; shiftX: number }[]): Rng {
  const uniforms = draws.map((d) => (d.flip ? 0.1 : 0.9));
  const ints = draws.flatMap((d) => [d.shiftY + 2, d.shiftX + 2]);
  return {
    uniform: () => uniforms.shift() as number,
    int: () => ints.shift() as number,
  } as unknown as Rng;
}

// A 3×3 single-channel image with pixels 1..9, row-major.
const IMAGE_3X3 = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);

describe('augmentBatch', () => {
  it('a horizontal flip mirrors each row', () => {
    const out = augmentBatch(IMAGE_3X3, 1, [3, 3, 1], scriptedRng([{ flip: true, shiftY: 0, shiftX: 0 }]));
    expect(Array.from(out)).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
  });

  it('shifts move pixels and pad the uncovered border with zeros', () => {
    const down = augmentBatch(IMAGE_3X3, 1, [3, 3, 1], scriptedRng([{ flip: false, shiftY: 1, shiftX: 0 }]));
    expect(Array.from(down)).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6]);
    const upLeft = augmentBatch(IMAGE_3X3, 1, [3, 3, 1], scriptedRng([{ flip: false, shiftY: -1, shiftX: -2 }]));
    expect(Array.from(upLeft)).toEqual([6, 0, 0, 9, 0, 0, 0, 0, 0]);
    const flippedRight = augmentBatch(IMAGE_3X3, 1, [3, 3, 1], scriptedRng([{ flip: true, shiftY: 0, shiftX: 1 }]));
    expect(Array.from(flippedRight)).toEqual([0, 3, 2, 0, 6, 5, 0, 9, 8]);
  });

  it('moves all channels of a pixel together and treats each image of the batch separately', () => {
    // Two 1×2 RGB images: [(1,2,3), (4,5,6)] and [(7,8,9), (10,11,12)].
    const batch = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const out = augmentBatch(batch, 2, [1, 2, 3], scriptedRng([
      { flip: true, shiftY: 0, shiftX: 0 },
      { flip: false, shiftY: 0, shiftX: 1 },
    ]));
    expect(Array.from(out)).toEqual([4, 5, 6, 1, 2, 3, 0, 0, 0, 7, 8, 9]);
    expect(Array.from(batch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // input untouched
  });

  it('is reproducible from the seed and draws every shift in −2..2 and flips about half the time', () => {
    // 5×5 images with one marked pixel: at the centre it shows the shift; flips are seen on a 1×2 image.
    const n = 400;
    const centre = new Float32Array(n * 25);
    for (let i = 0; i < n; i++) centre[i * 25 + 12] = 1;
    const a = augmentBatch(centre, n, [5, 5, 1], new Rng(3));
    expect(Array.from(augmentBatch(centre, n, [5, 5, 1], new Rng(3)))).toEqual(Array.from(a));
    expect(Array.from(augmentBatch(centre, n, [5, 5, 1], new Rng(4)))).not.toEqual(Array.from(a));
    const positions = new Set<number>();
    for (let i = 0; i < n; i++) {
      const image = Array.from(a.subarray(i * 25, (i + 1) * 25));
      expect(image.filter((v) => v === 1)).toHaveLength(1); // a shift of ≤ 2 keeps the centre inside
      positions.add(image.indexOf(1));
    }
    expect(positions.size).toBe(25); // every (shiftY, shiftX) in −2..2 × −2..2

    const pairs = Float32Array.from({ length: 2 * 2000 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const flipped = augmentBatch(pairs, 2000, [1, 2, 1], new Rng(5), { maxShift: 0 });
    const flips = Array.from({ length: 2000 }, (_, i) => flipped[2 * i + 1]).filter((v) => v === 1).length;
    expect(flips / 2000).toBeGreaterThan(0.45);
    expect(flips / 2000).toBeLessThan(0.55);
  });

  it('checks the batch against the image shape', () => {
    expect(() => augmentBatch(IMAGE_3X3, 2, [3, 3, 1], new Rng(0))).toThrow('9 values is not 2 images of 9');
  });
});
