import { it } from 'vitest';
import { tf } from '../../tf';
import { describeNative, expectSameAsCpu, intInput, randomInput, Rng } from '../nativeBackend.testkit';

describeNative('native BatchMatMul', () => {
  const rng = new Rng(1);
  // [a's shape, b's shape] before transposition flags are applied: a is m×k, b is k×n.
  const products: Array<[number[], number[]]> = [
    [[7, 5], [5, 3]],
    [[1, 9], [9, 4]],
    [[6, 1], [1, 8]],
    [[65, 130], [130, 33]],
    [[128, 784], [784, 10]],
  ];
  const transpose = (shape: number[], flag: boolean) => (flag ? [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]] : shape);

  for (const [aShape, bShape] of products) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`multiplies ${aShape.join('×')} by ${bShape.join('×')} (transposeA ${ta}, transposeB ${tb})`, async () => {
        const a = randomInput(rng, transpose(aShape, ta));
        const b = randomInput(rng, transpose(bShape, tb));
        await expectSameAsCpu([a, b], (x, y) => tf.matMul(x, y, ta, tb), { native: ['batchMatMul'] });
      });
    }
  }

  const batched: Array<[string, number[], number[], boolean, boolean]> = [
    ['equal batches', [3, 4, 5], [3, 5, 6], false, false],
    ['a broadcast over b', [1, 4, 5], [3, 5, 6], false, false],
    ['b broadcast over a', [3, 4, 5], [1, 6, 5], false, true],
    ['a batched, b a matrix', [3, 4, 5], [5, 2], false, false],
    ['two batch dimensions', [2, 3, 5, 4], [2, 3, 5, 2], true, false],
  ];
  for (const [name, aShape, bShape, ta, tb] of batched) {
    it(`multiplies batches: ${name}`, async () => {
      await expectSameAsCpu([randomInput(rng, aShape), randomInput(rng, bShape)], (x, y) => tf.matMul(x, y, ta, tb), { native: ['batchMatMul'] });
    });
  }

  it('leaves int32 products to TF.js', async () => {
    await expectSameAsCpu([intInput([2, 3], [1, 2, 3, 4, 5, 6]), intInput([3, 2], [1, 0, 0, 1, 2, 2])], (x, y) => tf.matMul(x, y), { native: [] });
  });
});

describeNative('native _FusedMatMul', () => {
  const rng = new Rng(2);
  for (const activation of ['linear', 'relu'] as const) {
    it(`adds the bias and applies ${activation}`, async () => {
      const inputs = [randomInput(rng, [9, 6]), randomInput(rng, [5, 6]), randomInput(rng, [5])];
      await expectSameAsCpu(inputs, (a, b, bias) => tf.fused.matMul({ a, b, bias, transposeB: true, activation }), {
        native: ['batchMatMul', 'binary', ...(activation === 'relu' ? (['relu'] as const) : [])],
      });
    });
  }

  it('multiplies without a bias', async () => {
    await expectSameAsCpu([randomInput(rng, [4, 3]), randomInput(rng, [3, 7])], (a, b) => tf.fused.matMul({ a, b, activation: 'relu' }), {
      native: ['batchMatMul', 'relu'],
    });
  });

  it('leaves other activations to TF.js', async () => {
    const inputs = [randomInput(rng, [4, 3]), randomInput(rng, [3, 5]), randomInput(rng, [5])];
    await expectSameAsCpu(inputs, (a, b, bias) => tf.fused.matMul({ a, b, bias, activation: 'elu' }), { native: [] });
  });
});
