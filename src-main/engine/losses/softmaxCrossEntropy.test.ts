import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { softmaxCrossEntropy as ce } from './softmaxCrossEntropy';
import { expectClose, finiteDifferenceGradient, finiteDifferenceHessianVector } from './finiteDifferences.testkit';

const logits = [
  [0.2, -1.0, 0.5, 1.3],
  [2.0, 0.1, -0.4, 0.0],
  [-0.7, 0.3, 0.9, -1.2],
];
const labelValues = [3, 0, 1];
const labels = tf.tensor1d(labelValues, 'int32');
const N = logits.length;
afterAll(() => labels.dispose());

/** softmax of one row in float64, written out directly. */
function softmaxRow(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((x) => Math.exp(x - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

describe('softmaxCrossEntropy', () => {
  it('value is the batch mean of −log p[label], computed in float64', () => {
    const expected = logits.reduce((acc, row, i) => acc - Math.log(softmaxRow(row)[labelValues[i]]), 0) / N;
    const value = tf.tidy(() => ce.value(tf.tensor2d(logits), labels).dataSync()[0]);
    expect(value).toBeCloseTo(expected, 6);
  });

  it('is numerically stable for huge logits', () => {
    const value = tf.tidy(() =>
      ce.value(tf.tensor2d([[1000, 0, -1000]]), tf.tensor1d([2], 'int32')).dataSync()[0],
    );
    expect(value).toBeCloseTo(2000, 2);
    const grad = tf.tidy(() =>
      ce.gradient(tf.tensor2d([[1000, 0, -1000]]), tf.tensor1d([2], 'int32')).arraySync() as number[][],
    );
    expectClose(grad, [[1, 0, -1]], 1e-6);
  });

  it('gradient matches central finite differences of the value', () => {
    const grad = tf.tidy(() => ce.gradient(tf.tensor2d(logits), labels).arraySync() as number[][]);
    expectClose(grad, finiteDifferenceGradient(ce, logits, labels, 1e-2), 5e-5);
  });

  it('gradient is (p − onehot)/N in float64', () => {
    const expected = logits.map((row, i) => softmaxRow(row).map((p, j) => (p - (j === labelValues[i] ? 1 : 0)) / N));
    const grad = tf.tidy(() => ce.gradient(tf.tensor2d(logits), labels).arraySync() as number[][]);
    expectClose(grad, expected, 1e-6);
  });

  const v = [
    [1.0, -0.5, 0.25, 2.0],
    [-1.5, 0.3, 0.0, 0.7],
    [0.4, 0.4, -2.0, 1.1],
  ];

  it('H_L·v matches finite differences of the gradient', () => {
    const hv = tf.tidy(() => ce.hessianVectorProduct(tf.tensor2d(logits), labels, tf.tensor2d(v)).arraySync() as number[][]);
    expectClose(hv, finiteDifferenceHessianVector(ce, logits, labels, v, 1e-2), 1e-4);
  });

  it('H_L·v equals the explicit per-row matrix (diag(p) − ppᵀ)/N times v', () => {
    const expected = logits.map((row, i) => {
      const p = softmaxRow(row);
      return p.map((_, a) => p.reduce((acc, pb, b) => acc + ((a === b ? p[a] : 0) - p[a] * pb) * v[i][b], 0) / N);
    });
    const hv = tf.tidy(() => ce.hessianVectorProduct(tf.tensor2d(logits), labels, tf.tensor2d(v)).arraySync() as number[][]);
    expectClose(hv, expected, 1e-6);
  });

  it('accuracy is the fraction of rows whose argmax is the label', () => {
    // argmax per row: 3, 0, 2 → labels 3, 0, 1 → 2 of 3 correct.
    const acc = tf.tidy(() => ce.accuracy(tf.tensor2d(logits), labels)!.dataSync()[0]);
    expect(acc).toBeCloseTo(2 / 3, 6);
  });

  it('leaves no tensors behind', () => {
    const y = tf.tensor2d(logits);
    const before = tf.memory().numTensors;
    for (const t of [ce.value(y, labels), ce.gradient(y, labels), ce.hessianVectorProduct(y, labels, y), ce.accuracy(y, labels)!]) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    y.dispose();
  });
});
