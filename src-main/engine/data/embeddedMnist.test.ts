import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadEmbeddedMnist } from './embeddedMnist';

// Images per digit in the mnist package: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
// 20% of each digit is validation: 200.2, 225.4, 198.2, 206.4, 196, 172.6, 202.8, 214, 188.8, 195.6,
// floored (1,996 in all), plus one each for the four largest remainders (digits 6, 8, 5, 9) = 2,000.
const VALIDATION_PER_DIGIT = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196];

/** Byte equality of two typed arrays (deep equality on millions of elements is slow). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('loadEmbeddedMnist', () => {
  const dataset = loadEmbeddedMnist();

  it('has 10 classes of 28×28×1 images, 8,000 for training and 2,000 for validation', () => {
    expect(dataset).toMatchObject({ task: 'classification', numClasses: 10, inputShape: [28, 28, 1], targetSize: 1 });
    expect(dataset.train.n).toBe(8000);
    expect(dataset.validation.n).toBe(2000);
    expect(dataset.train.x.length).toBe(8000 * 784);
    expect(dataset.validation.y.length).toBe(2000);
    expect(dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('is stratified: each digit sends 20% of its images to validation', () => {
    const counts = new Array(10).fill(0);
    for (const label of dataset.validation.y) counts[label]++;
    expect(counts).toEqual(VALIDATION_PER_DIGIT);
  });

  it('interleaves digits and takes images straight from the package', () => {
    expect(Array.from(dataset.train.y.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const mnist = createRequire(import.meta.url)('mnist') as Array<{ get(i: number): number[] }>;
    // Digit 4 holds out 196 of 980 images, so (i + 1)·196/980 first reaches 1 at image 4, before any
    // digit 0–3 does (at image 5): validation row 0 is digit 4's image 4. Train row 13 is digit 3's image 1.
    expect(dataset.validation.y[0]).toBe(4);
    expect(Array.from(dataset.validation.x.subarray(0, 784))).toEqual(mnist[4].get(4).map(Math.fround));
    expect(Array.from(dataset.train.x.subarray(13 * 784, 14 * 784))).toEqual(mnist[3].get(1).map(Math.fround));
  });

  it('has pixel values in [0, 1] that are not all equal', () => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of dataset.train.x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('is deterministic and hands out fresh arrays each time', () => {
    const again = loadEmbeddedMnist();
    expect(sameBytes(again.train.x.subarray(0, 784), again.train.x.subarray(784, 1568))).toBe(false); // the check can fail
    expect(sameBytes(again.train.y, dataset.train.y)).toBe(true);
    expect(sameBytes(again.train.x, dataset.train.x)).toBe(true);
    expect(sameBytes(again.validation.x, dataset.validation.x)).toBe(true);
    again.train.x[0] = 42;
    expect(loadEmbeddedMnist().train.x[0]).toBe(dataset.train.x[0]);
    expect(dataset.train.x[0]).not.toBe(42);
  });
});
