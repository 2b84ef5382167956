import { it } from 'vitest';
import { tf } from '../../tf';
import { describeNative, expectSameAsCpu, intInput, randomInput, Rng } from '../nativeBackend.testkit';

describeNative('native Sum', () => {
  const rng = new Rng(7);
  // Leading axes (bias gradients), the last axis (row sums), a middle block, everything, negative axes.
  const cases: Array<[number[], number | number[] | undefined, boolean]> = [
    [[64, 28, 28, 16], [0, 1, 2], false],
    [[128, 10], 0, false],
    [[128, 10], 1, true],
    [[5, 6, 7], 1, false],
    [[5, 6, 7, 3], [1, 2], true],
    [[4, 9], undefined, false],
    [[4, 9, 2], -1, false],
    [[3, 200000], 0, false],
    [[1, 5], 0, false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`sums [${shape}] over ${JSON.stringify(axis ?? 'all')}${keepDims ? ', keeping dims' : ''}`, async () => {
      await expectSameAsCpu([randomInput(rng, shape)], (x) => tf.sum(x, axis, keepDims), { native: ['sum'] });
    });
  }

  it('leaves axes that are not contiguous to TF.js', async () => {
    await expectSameAsCpu([randomInput(rng, [3, 4, 5])], (x) => tf.sum(x, [0, 2]), { native: [] });
  });
});

describeNative('native Mean', () => {
  const rng = new Rng(9);
  // Batch-norm statistics (NHWC over N, H, W and dense over N), a middle block, everything.
  const cases: Array<[number[], number | number[] | undefined, boolean]> = [
    [[8, 6, 6, 5], [0, 1, 2], false],
    [[8, 6, 6, 5], [0, 1, 2], true],
    [[16, 7], 0, true],
    [[5, 6, 7, 3], [1, 2], false],
    [[4, 9], undefined, false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`averages [${shape}] over ${JSON.stringify(axis ?? 'all')}${keepDims ? ', keeping dims' : ''}`, async () => {
      await expectSameAsCpu([randomInput(rng, shape)], (x) => tf.mean(x, axis, keepDims), { native: ['sum'] });
    });
  }

  it('leaves axes that are not contiguous to TF.js', async () => {
    await expectSameAsCpu([randomInput(rng, [3, 4, 5])], (x) => tf.mean(x, [0, 2]), { native: [] });
  });
});

describeNative('native Slice', () => {
  const rng = new Rng(10);

  it('crops the padding off an NHWC activation (two axes cut)', async () => {
    await expectSameAsCpu([randomInput(rng, [3, 9, 8, 4])], (x) => tf.slice(x, [0, 1, 2, 0], [3, 7, 5, 4]), { native: ['gather'] });
  });

  it('cuts the last axis, a middle axis, and every axis', async () => {
    const x = randomInput(rng, [4, 5, 6]);
    await expectSameAsCpu([x], (t) => tf.slice(t, [0, 0, 1], [4, 5, 3]), { native: ['gather'] });
    await expectSameAsCpu([x], (t) => tf.slice(t, [0, 2, 0], [4, 2, 6]), { native: ['gather'] });
    await expectSameAsCpu([x], (t) => tf.slice(t, [1, 1, 1], [2, 3, 4]), { native: ['gather'] });
  });

  it('leaves contiguous slices (only the first axis cut) to TF.js', async () => {
    await expectSameAsCpu([randomInput(rng, [6, 4])], (x) => tf.slice(x, [2, 0], [3, 4]), { native: [] });
  });
});

describeNative('native GatherV2', () => {
  const rng = new Rng(8);

  it('gathers a flat tensor at NHWC-shaped indices (the max-pool forward-mode product)', async () => {
    const indices = Array.from({ length: 2 * 3 * 3 * 4 }, () => rng.int(500));
    await expectSameAsCpu([randomInput(rng, [500]), intInput([2, 3, 3, 4], indices)], (x, i) => tf.gather(x, i), { native: ['gather'] });
  });

  it('gathers rows and columns of a matrix', async () => {
    const x = randomInput(rng, [6, 5]);
    await expectSameAsCpu([x, intInput([4], [5, 0, 0, 3])], (t, i) => tf.gather(t, i, 0), { native: ['gather'] });
    await expectSameAsCpu([x, intInput([2, 2], [4, 1, 2, 2])], (t, i) => tf.gather(t, i, 1), { native: ['gather'] });
  });

  it('gathers single elements of several rows in parallel parts that cross from one row to the next', async () => {
    const indices = Array.from({ length: 30000 }, (_, i) => (i * 7919) % 40000);
    await expectSameAsCpu([randomInput(rng, [3, 40000]), intInput([30000], indices)], (t, i) => tf.gather(t, i, 1), { native: ['gather'] });
  });

  it('leaves batch dimensions to TF.js', async () => {
    await expectSameAsCpu([randomInput(rng, [2, 5]), intInput([2, 2], [1, 4, 0, 0])], (t, i) => tf.gather(t, i, 1, 1), { native: [] });
  });
});
