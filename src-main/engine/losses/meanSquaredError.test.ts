import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { meanSquaredError as mse } from './meanSquaredError';
import { expectClose, finiteDifferenceGradient, finiteDifferenceHessianVector } from './finiteDifferences.testkit';

const outputs = [
  [0.5, -1.0],
  [2.0, 0.25],
  [-0.3, 1.5],
];
const targetValues = [
  [1.0, 0.0],
  [1.5, -0.5],
  [0.0, 1.0],
];
const targets = tf.tensor2d(targetValues);
const count = 6; // N·C
afterAll(() => targets.dispose());

describe('meanSquaredError', () => {
  it('value is the mean of squared differences over all N·C entries', () => {
    // squared differences: 0.25, 1, 0.25, 0.5625, 0.09, 0.25 → sum 2.4025
    const value = tf.tidy(() => mse.value(tf.tensor2d(outputs), targets).dataSync()[0]);
    expect(value).toBeCloseTo(2.4025 / 6, 6);
  });

  it('gradient matches central finite differences of the value', () => {
    const grad = tf.tidy(() => mse.gradient(tf.tensor2d(outputs), targets).arraySync() as number[][]);
    expectClose(grad, finiteDifferenceGradient(mse, outputs, targets, 1e-2), 5e-5);
  });

  it('gradient is 2(y − t)/(N·C)', () => {
    const expected = outputs.map((row, i) => row.map((y, j) => (2 * (y - targetValues[i][j])) / count));
    const grad = tf.tidy(() => mse.gradient(tf.tensor2d(outputs), targets).arraySync() as number[][]);
    expectClose(grad, expected, 1e-7);
  });

  it('evaluate gives [loss] alone (no accuracy) and the gradient', () => {
    const { numbers, grad } = tf.tidy(() => {
      const e = mse.evaluate(tf.tensor2d(outputs), targets);
      return { numbers: Array.from(e.numbers.dataSync()), grad: e.gradient.arraySync() as number[][] };
    });
    expect(numbers).toHaveLength(1);
    expect(numbers[0]).toBeCloseTo(2.4025 / 6, 6);
    expectClose(grad, outputs.map((row, i) => row.map((y, j) => (2 * (y - targetValues[i][j])) / count)), 1e-7);
  });

  const v = [
    [1.0, -2.0],
    [0.5, 3.0],
    [-0.25, 0.0],
  ];

  it('H_L·v matches finite differences of the gradient', () => {
    const hv = tf.tidy(() => mse.hessianVectorProduct(tf.tensor2d(outputs), targets, tf.tensor2d(v)).arraySync() as number[][]);
    expectClose(hv, finiteDifferenceHessianVector(mse, outputs, targets, v, 1e-2), 1e-5);
  });

  it('H_L·v is 2v/(N·C)', () => {
    const hv = tf.tidy(() => mse.hessianVectorProduct(tf.tensor2d(outputs), targets, tf.tensor2d(v)).arraySync() as number[][]);
    expectClose(hv, v.map((row) => row.map((x) => (2 * x) / count)), 1e-7);
  });

  it('has no accuracy', () => {
    const y = tf.tensor2d(outputs);
    expect(mse.accuracy(y, targets)).toBeNull();
    y.dispose();
  });
});
