import { tf } from '../tf';
import type { Loss } from './loss';

/** Central finite differences of a loss's value with respect to each entry of y (float32 arithmetic). */
export function finiteDifferenceGradient(loss: Loss, y: number[][], targets: tf.Tensor, h: number): number[][] {
  return y.map((row, i) =>
    row.map((_, j) => {
      const at = (delta: number): number => {
        const shifted = y.map((r) => r.slice());
        shifted[i][j] += delta;
        return tf.tidy(() => loss.value(tf.tensor2d(shifted), targets).dataSync()[0]);
      };
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
}

/** Central finite differences of the loss gradient along v: (∇L(y + h v) − ∇L(y − h v)) / 2h ≈ H_L·v. */
export function finiteDifferenceHessianVector(
  loss: Loss,
  y: number[][],
  targets: tf.Tensor,
  v: number[][],
  h: number,
): number[][] {
  return tf.tidy(() => {
    const y0 = tf.tensor2d(y);
    const dv = tf.tensor2d(v);
    const plus = loss.gradient(tf.add(y0, tf.mul(dv, h)), targets);
    const minus = loss.gradient(tf.sub(y0, tf.mul(dv, h)), targets);
    return tf.div(tf.sub(plus, minus), 2 * h).arraySync() as number[][];
  });
}

export function expectClose(actual: number[][], expected: number[][], tolerance: number): void {
  if (actual.length !== expected.length) throw new Error(`row count ${actual.length} ≠ ${expected.length}`);
  actual.forEach((row, i) =>
    row.forEach((a, j) => {
      const e = expected[i][j];
      if (!(Math.abs(a - e) <= tolerance)) {
        throw new Error(`entry [${i}][${j}]: ${a} differs from ${e} by more than ${tolerance}`);
      }
    }),
  );
}
