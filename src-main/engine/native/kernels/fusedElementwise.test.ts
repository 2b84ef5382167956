import { expect, it } from 'vitest';
import { axpbyEach, axpbySquareEach, divideByRootEach, pairInnerProducts, reluDerivativeTimes } from '../../ops';
import { axpbySquareCases, divideByRootCases, expectValues } from '../../ops/rootOfSquares.testkit';
import { readInnerProducts } from '../../optim/innerProducts';
import { tf } from '../../tf';
import { describeNative, expectSameAsCpu, randomInput, Rng, type InputValues } from '../nativeBackend.testkit';

// The fused kernels on cpu-blas against the ops they replace, which run as TF.js's own ops on plain cpu,
// and against values worked out here in float64.
describeNative('fused kernels on cpu-blas', () => {
  const rng = new Rng(17);
  const special: InputValues = { shape: [8], values: Float32Array.from([NaN, -0, 0, -1.5, 2, Infinity, -Infinity, 3]) };
  const specialTangent: InputValues = { shape: [8], values: Float32Array.from([1, 2, Infinity, NaN, -3, 0.5, 4, NaN]) };

  const axpby = (alpha: number, a: tf.Tensor, beta: number, b: tf.Tensor) => axpbyEach(alpha, [a], beta, [b])[0];

  it('axpby gives alpha·a + beta·b', async () => {
    await tf.setBackend('cpu-blas');
    const out = tf.tidy(() => Array.from(axpby(2, tf.tensor1d([1, 2, -3]), -1, tf.tensor1d([3, 5, 0.5])).dataSync()));
    expect(out).toEqual([-1, -1, -6.5]);
    for (const [alpha, beta] of [[1, -0.01], [0.9, 1], [-2.5, 0.3]]) {
      await expectSameAsCpu([randomInput(rng, [784, 512]), randomInput(rng, [784, 512])], (a, b) => axpby(alpha, a, beta, b), { native: ['axpby'] });
    }
    await expectSameAsCpu([randomInput(rng, [3, 5, 2]), randomInput(rng, [3, 5, 2])], (a, b) => axpby(1, a, 1, b), { native: ['axpby'] });
    await expectSameAsCpu([special, specialTangent], (a, b) => axpby(1, a, -0.5, b), { native: ['axpby'] });
  });

  it('combines a whole parameter set in one call', async () => {
    const shapes = [[784, 512], [512], [512, 10], [10]];
    const inputs = [...shapes.map((s) => randomInput(rng, s)), ...shapes.map((s) => randomInput(rng, s))];
    await expectSameAsCpu(inputs, (...t) => axpbyEach(0.9, t.slice(0, 4), -0.1, t.slice(4)), { native: ['axpby'] });
  });

  it('gives alpha·a + beta·b² and a/(√b + ε) as worked by hand, NaN, infinities and zeros included', async () => {
    await tf.setBackend('cpu-blas');
    for (const c of axpbySquareCases) {
      const inputs = [c.a, c.b].map((v) => ({ shape: [v.length], values: Float32Array.from(v) }));
      await expectSameAsCpu(inputs, (a, b) => axpbySquareEach(c.alpha, [a], c.beta, [b]), { native: ['axpbySquare'] });
      expectValues(tf.tidy(() => axpbySquareEach(c.alpha, [tf.tensor1d(c.a)], c.beta, [tf.tensor1d(c.b)])[0].dataSync()), c.expected, `alpha ${c.alpha}, beta ${c.beta}`);
    }
    for (const c of divideByRootCases) {
      const inputs = [c.a, c.b].map((v) => ({ shape: [v.length], values: Float32Array.from(v) }));
      await expectSameAsCpu(inputs, (a, b) => divideByRootEach([a], [b], c.epsilon), { native: ['divideByRoot'] });
      expectValues(tf.tidy(() => divideByRootEach([tf.tensor1d(c.a)], [tf.tensor1d(c.b)], c.epsilon)[0].dataSync()), c.expected, `epsilon ${c.epsilon}`);
    }
  });

  it('squares and divides by roots over a whole parameter set in one call each, as TF.js ops do', async () => {
    const shapes = [[784, 512], [512], [512, 10], [10]];
    const a = shapes.map((s) => randomInput(rng, s));
    const b = shapes.map((s) => ({ shape: s, values: (randomInput(rng, s).values as Float32Array).map((x) => x * x) }));
    await expectSameAsCpu([...a, ...b], (...t) => axpbySquareEach(0.999, t.slice(0, 4), 0.001, t.slice(4)), { native: ['axpbySquare'] });
    await expectSameAsCpu([...a, ...b], (...t) => divideByRootEach(t.slice(0, 4), t.slice(4), 1e-8), { native: ['divideByRoot'] });
  });

  it('multiplies by the ReLU derivative as step and multiply do, NaN and infinities included', async () => {
    await expectSameAsCpu([special, specialTangent], (y, v) => reluDerivativeTimes(y, v), { native: ['reluDerivativeTimes'] });
    const y = randomInput(rng, [128, 512]);
    await expectSameAsCpu([y, randomInput(rng, [128, 512])], (a, v) => reluDerivativeTimes(tf.relu(a), v), { native: ['reluDerivativeTimes'] });
  });

  it('takes inner products in one pass, to float64 sums of the products', async () => {
    await tf.setBackend('cpu-blas');
    // Lengths around the kernel's blocks (256) and chunks (4096); shared operands; two lengths at once.
    for (const n of [1, 7, 255, 256, 257, 4095, 4097, 100_003]) {
      const a = randomInput(rng, [n]).values as Float32Array;
      const b = randomInput(rng, [n], 3).values as Float32Array;
      const c = randomInput(rng, [5]).values as Float32Array;
      const got = tf.tidy(() => {
        const [ta, tb, tc] = [tf.tensor1d(a), tf.tensor1d(b), tf.tensor1d(c)];
        return Array.from(pairInnerProducts([[ta, ta], [ta, tb], [tc, tc], [tb, tb], [tb, ta]]).dataSync());
      });
      const expected = [dot64(a, a), dot64(a, b), dot64(c, c), dot64(b, b), dot64(b, a)];
      got.forEach((value, i) => expect(Math.abs(value - expected[i]), `n=${n} pair ${i}: ${value} vs ${expected[i]}`).toBeLessThanOrEqual(1e-6 * norm64(i, a, b, c)));
    }
  });

  it('sums many small terms beside a large one far better than a float32 running sum', async () => {
    await tf.setBackend('cpu-blas');
    // 2^24 and then 8191 ones: a float32 running sum never leaves 2^24 (2^24 + 1 rounds back down). The
    // fused sum loses only the ones that share the large value's run of 32 float32 products.
    const a = new Float32Array(8192).fill(1);
    a[0] = 2 ** 24;
    const ones = new Float32Array(8192).fill(1);
    const got = tf.tidy(() => pairInnerProducts([[tf.tensor1d(a), tf.tensor1d(ones)]]).dataSync()[0]);
    expect(got).toBeGreaterThanOrEqual(2 ** 24 + 8191 - 31);
    expect(got).toBeLessThanOrEqual(2 ** 24 + 8191);
  });

  it('reads CurveBall-style inner products of parameters and outputs like cpu does', async () => {
    const values = () => ({ w: randomInput(rng, [300, 40]), b: randomInput(rng, [40]), y: randomInput(rng, [16, 10]) });
    const [p, q] = [values(), values()];
    const read = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const t = (v: InputValues) => tf.tensor(v.values, v.shape);
        const P = { w: t(p.w), b: t(p.b) };
        const Q = { w: t(q.w), b: t(q.b) };
        return readInnerProducts({ pp: [P, P], pq: [P, Q], qq: [Q, Q], yy: [t(p.y), t(q.y)] });
      });
    };
    const cpu = await read('cpu');
    const native = await read('cpu-blas');
    for (const key of Object.keys(cpu) as (keyof typeof cpu)[]) expect(native[key]).toBeCloseTo(cpu[key], 3);
  });
});

function dot64(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** A scale for pair i's error: Σ|a·b| of its operands (relative error of a sum of products). */
function norm64(i: number, a: Float32Array, b: Float32Array, c: Float32Array): number {
  const pairs: [Float32Array, Float32Array][] = [[a, a], [a, b], [c, c], [b, b], [b, a]];
  const [x, y] = pairs[i];
  let s = 0;
  for (let k = 0; k < x.length; k++) s += Math.abs(x[k] * y[k]);
  return s;
}
