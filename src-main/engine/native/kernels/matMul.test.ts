import { expect, it } from 'vitest';
import { denseProduct } from '../../ops';
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

// ops/fusedKernels.ts's denseProduct: its own kernel on cpu-blas, tf.fused.matMul on cpu.
describeNative('the fused dense product', () => {
  const rng = new Rng(8);
  const cases: Array<[string, number[] | null, 'linear' | 'relu']> = [
    ['a bias row and relu (a layer forward)', [12], 'relu'],
    ['a bias row, linear', [12], 'linear'],
    ['a full [m, n] bias (the JVP sum dx·W + x·dW)', [20, 12], 'linear'],
    ['no bias, relu', null, 'relu'],
  ];
  for (const [name, biasShape, activation] of cases) {
    it(`computes ${name}`, async () => {
      const inputs = [randomInput(rng, [20, 33]), randomInput(rng, [33, 12]), ...(biasShape ? [randomInput(rng, biasShape)] : [])];
      await expectSameAsCpu(inputs, (a, b, bias) => denseProduct(a as tf.Tensor2D, b as tf.Tensor2D, { bias, activation }), {
        native: ['batchMatMul', ...(biasShape ? (['binary'] as const) : []), ...(activation === 'relu' ? (['relu'] as const) : [])],
      });
    });
  }

  it('multiplies by bᵀ and by a ReLU derivative (a dense VJP through the ReLU in front)', async () => {
    const reluOutput = { shape: [20, 12], values: Float32Array.from(randomInput(rng, [20, 12]).values, (v) => Math.max(v, 0)) };
    await expectSameAsCpu([randomInput(rng, [20, 33]), randomInput(rng, [12, 33]), reluOutput], (a, b, y) => denseProduct(a as tf.Tensor2D, b as tf.Tensor2D, { transposeB: true, reluDerivativeOf: y }), {
      native: ['batchMatMul', 'reluDerivativeTimes'],
    });
    await expectSameAsCpu([randomInput(rng, [20, 33]), randomInput(rng, [33, 12]), randomInput(rng, [20, 12]), reluOutput], (a, b, bias, y) => denseProduct(a as tf.Tensor2D, b as tf.Tensor2D, { bias, reluDerivativeOf: y }), {
      native: ['batchMatMul', 'binary', 'reluDerivativeTimes'],
    });
  });

  it('multiplies aᵀ (a dense layer\'s kernel cotangent xᵀ·dy)', async () => {
    await expectSameAsCpu([randomInput(rng, [20, 33]), randomInput(rng, [20, 12])], (a, b) => denseProduct(a as tf.Tensor2D, b as tf.Tensor2D, { transposeA: true }), {
      native: ['batchMatMul'],
    });
  });

  it('is worked out by hand for a 2×2 product', async () => {
    await tf.setBackend('cpu-blas');
    const y = tf.tidy(() => Array.from(denseProduct(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1, -1], [0, 1]]), { bias: tf.tensor1d([0.5, -5]), activation: 'relu' }).dataSync()));
    // [[1, 1], [3, 1]] + [0.5, −5] = [[1.5, −4], [3.5, −4]] → relu
    expect(y).toEqual([1.5, 0, 3.5, 0]);
  });
});
