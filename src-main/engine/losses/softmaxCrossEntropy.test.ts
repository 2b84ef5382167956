import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fusedKernelNames, hasFusedKernel } from '../ops';
import { describeNative } from '../native/nativeBackend.testkit';
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

/**
 * The same checks on plain cpu, where the loss runs as TF.js ops, and on cpu-blas, where evaluate and
 * H_L·v run as fused kernels (and value, gradient and accuracy stay TF.js ops).
 */
function lossSuite(backend: 'cpu' | 'cpu-blas'): void {
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it(backend === 'cpu' ? 'runs as TF.js ops' : 'runs the fused kernels', () => {
    expect(hasFusedKernel(fusedKernelNames.softmaxCrossEntropy)).toBe(backend === 'cpu-blas');
    expect(hasFusedKernel(fusedKernelNames.softmaxCrossEntropyHessianVector)).toBe(backend === 'cpu-blas');
  });

  it('evaluate gives the loss, the accuracy and (p − onehot)/N, as worked out in float64', () => {
    const loss = logits.reduce((acc, row, i) => acc - Math.log(softmaxRow(row)[labelValues[i]]), 0) / N;
    const gradient = logits.map((row, i) => softmaxRow(row).map((p, j) => (p - (j === labelValues[i] ? 1 : 0)) / N));
    const { numbers, grad } = tf.tidy(() => {
      const e = ce.evaluate(tf.tensor2d(logits), labels);
      return { numbers: Array.from(e.numbers.dataSync()), grad: e.gradient.arraySync() as number[][] };
    });
    expect(numbers).toHaveLength(2);
    expect(numbers[0]).toBeCloseTo(loss, 6);
    expect(numbers[1]).toBeCloseTo(2 / 3, 6);
    expectClose(grad, gradient, 1e-6);
  });

  it('evaluate counts a tie for the maximum as the first index (tf.argMax) and stays finite for huge logits', () => {
    const [loss, accuracy] = tf.tidy(() =>
      Array.from(ce.evaluate(tf.tensor2d([[5, 5, 1], [1000, 0, -1000]]), tf.tensor1d([1, 0], 'int32')).numbers.dataSync()),
    );
    // Row 0: p = (e⁴, e⁴, 1)/(2e⁴ + 1), label 1 is tied with index 0, so wrong; row 1: right, loss 0.
    expect(loss).toBeCloseTo(Math.log(2 + Math.exp(-4)) / 2, 6);
    expect(accuracy).toBe(0.5);
  });

  it('evaluate reports a NaN logit as a NaN loss', () => {
    const loss = tf.tidy(() => ce.evaluate(tf.tensor2d([[0, NaN, 1], [1, 2, 3]]), tf.tensor1d([0, 2], 'int32')).numbers.dataSync()[0]);
    expect(loss).toBeNaN();
  });

  it('evaluate on a random batch agrees with value, accuracy and gradient', () => {
    const { fused, separate } = tf.tidy(() => {
      const y = tf.mul(tf.randomNormal([128, 10], 0, 1, 'float32', 7), 3);
      const t = tf.tensor1d(Array.from({ length: 128 }, (_, i) => (i * 7) % 10), 'int32');
      const e = ce.evaluate(y, t);
      return {
        fused: [...e.numbers.dataSync(), ...e.gradient.dataSync()],
        separate: [ce.value(y, t).dataSync()[0], ce.accuracy(y, t)!.dataSync()[0], ...ce.gradient(y, t).dataSync()],
      };
    });
    fused.forEach((v, i) => expect(Math.abs(v - separate[i]), `element ${i}`).toBeLessThan(1e-6));
  });
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
    const { numbers, gradient } = ce.evaluate(y, labels);
    for (const t of [ce.value(y, labels), ce.gradient(y, labels), ce.hessianVectorProduct(y, labels, y), ce.accuracy(y, labels)!, numbers, gradient]) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    y.dispose();
  });
}

describe('softmaxCrossEntropy on cpu', () => lossSuite('cpu'));
describeNative('softmaxCrossEntropy on cpu-blas', () => lossSuite('cpu-blas'));
