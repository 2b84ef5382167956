import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { tf } from '../tf';
import { axpbySquareEach, divideByRootEach, fusedKernelNames, hasFusedKernel } from '.';
import { axpbySquareCases, divideByRootCases, expectValues } from './rootOfSquares.testkit';

// On plain cpu no backend kernel fuses them: the ops run as TF.js's own, and must give the hand-worked
// values and the formulas worked out here in float64.
describe('root-of-squares ops as TF.js ops (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('has no fused kernel to use there', () => {
    expect(hasFusedKernel(fusedKernelNames.axpbySquare)).toBe(false);
    expect(hasFusedKernel(fusedKernelNames.divideByRoot)).toBe(false);
  });

  it('axpbySquareEach gives alpha·a + beta·b², NaN and infinities included (by hand)', () => {
    for (const c of axpbySquareCases) {
      const out = tf.tidy(() => axpbySquareEach(c.alpha, [tf.tensor1d(c.a)], c.beta, [tf.tensor1d(c.b)])[0].dataSync());
      expectValues(out, c.expected, `alpha ${c.alpha}, beta ${c.beta}`);
    }
  });

  it('divideByRootEach gives a/(√b + ε), zeros, NaN and infinities included (by hand)', () => {
    for (const c of divideByRootCases) {
      const out = tf.tidy(() => divideByRootEach([tf.tensor1d(c.a)], [tf.tensor1d(c.b)], c.epsilon)[0].dataSync());
      expectValues(out, c.expected, `epsilon ${c.epsilon}`);
    }
  });

  it('treats each tensor of a set on its own, shapes kept, as the formulas in float64 do', () => {
    const rng = new Rng(3);
    const shapes = [[4, 3], [3], [2, 2, 2]];
    const values = (shape: number[], positive: boolean) => Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => (positive ? rng.uniform() : rng.normal()));
    const a = shapes.map((s) => values(s, false));
    const b = shapes.map((s) => values(s, true));
    const [squares, directions] = tf.tidy(() => {
      const ta = a.map((v, i) => tf.tensor(v, shapes[i]));
      const tb = b.map((v, i) => tf.tensor(v, shapes[i]));
      const read = (ts: tf.Tensor[]) => ts.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
      return [read(axpbySquareEach(0.99, ta, 0.01, tb)), read(divideByRootEach(ta, tb, 1e-3))];
    });
    shapes.forEach((shape, i) => {
      expect(squares[i].shape).toEqual(shape);
      expect(directions[i].shape).toEqual(shape);
      expectValues(squares[i].values, Array.from(a[i], (x, j) => 0.99 * x + 0.01 * b[i][j] ** 2), `squares ${i}`);
      expectValues(directions[i].values, Array.from(a[i], (x, j) => x / (Math.sqrt(b[i][j]) + 1e-3)), `directions ${i}`);
    });
  });
});
