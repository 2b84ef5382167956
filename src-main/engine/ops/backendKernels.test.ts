import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { tf } from '../tf';
import { distinctValues, dot, randomTensor, read } from '../nn/derivativeChecks.testkit';
import { avgPoolGrad, conv2dBackpropFilter, conv2dBackpropInput, maxPoolGrad, maxPoolWithArgmax } from '.';
import type { Padding } from '../../shared/modelSpec';

/**
 * Each kernel wrapper against an independent reference: the reverse kernels by the adjoint identity
 * <dy, op(x)> = <op*(dy), x> with TF.js's forward op, the argmax against a plain loop. A native kernel
 * swapped in behind these wrappers must pass the same checks.
 */
const geometries: { shape: [number, number, number, number]; window: [number, number]; strides: [number, number]; pad: Padding }[] = [
  { shape: [2, 5, 5, 2], window: [3, 3], strides: [2, 2], pad: 'same' },
  { shape: [2, 6, 5, 2], window: [3, 2], strides: [2, 1], pad: 'same' },
  { shape: [1, 5, 6, 3], window: [2, 3], strides: [1, 2], pad: 'valid' },
];

/** |<dy, y> − <back, x>| relative to ‖dy‖·‖y‖, so a small inner product from cancellation cannot inflate it. */
const adjointGap = (dy: tf.Tensor, y: tf.Tensor, back: tf.Tensor, x: tf.Tensor) =>
  Math.abs(dot(dy, y) - dot(back, x)) / Math.sqrt(dot(dy, dy) * dot(y, y));

describe('kernels', () => {
  for (const g of geometries) {
    const label = `${g.shape.slice(1, 3).join('×')} input, ${g.window.join('×')} window, stride ${g.strides.join('×')}, ${g.pad}`;

    it(`conv2d backprop input and filter are the adjoints of conv2d (${label})`, () => {
      tf.tidy(() => {
        const rng = new Rng(1);
        const x = randomTensor(rng, g.shape) as tf.Tensor4D;
        const filterShape: [number, number, number, number] = [g.window[0], g.window[1], g.shape[3], 3];
        const filter = randomTensor(rng, filterShape) as tf.Tensor4D;
        const y = tf.conv2d(x, filter, g.strides, g.pad);
        const dy = randomTensor(rng, y.shape);
        expect(adjointGap(dy, y, conv2dBackpropInput(dy, filter, g.shape, g.strides, g.pad), x)).toBeLessThan(1e-6);
        expect(adjointGap(dy, y, conv2dBackpropFilter(x, dy, filterShape, g.strides, g.pad), filter)).toBeLessThan(1e-6);
      });
    });

    it(`avgPoolGrad is the adjoint of avgPool, padded windows included (${label})`, () => {
      tf.tidy(() => {
        const rng = new Rng(2);
        const x = randomTensor(rng, g.shape) as tf.Tensor4D;
        const y = tf.avgPool(x, g.window, g.strides, g.pad);
        const dy = randomTensor(rng, y.shape);
        expect(adjointGap(dy, y, avgPoolGrad(dy, x, g.window, g.strides, g.pad), x)).toBeLessThan(1e-6);
      });
    });

    it(`maxPoolWithArgmax finds each window's maximum and its flat NHWC index; maxPoolGrad routes there (${label})`, () => {
      tf.tidy(() => {
        const rng = new Rng(3);
        const x = distinctValues(rng, g.shape);
        const { output, argmax } = maxPoolWithArgmax(x, g.window, g.strides, g.pad);
        expect(read(output)).toEqual(read(tf.maxPool(x as tf.Tensor4D, g.window, g.strides, g.pad)));
        const xs = read(x);
        const [n, h, w, c] = g.shape;
        const [oh, ow] = output.shape.slice(1, 3);
        const before = (len: number, win: number, s: number, out: number) =>
          g.pad === 'valid' ? 0 : Math.floor(Math.max((out - 1) * s + win - len, 0) / 2);
        const top = before(h, g.window[0], g.strides[0], oh);
        const left = before(w, g.window[1], g.strides[1], ow);
        const expected: number[] = [];
        for (let b = 0; b < n; b++)
          for (let i = 0; i < oh; i++)
            for (let j = 0; j < ow; j++)
              for (let k = 0; k < c; k++) {
                let best = -1;
                for (let r = i * g.strides[0] - top; r < i * g.strides[0] - top + g.window[0]; r++)
                  for (let s = j * g.strides[1] - left; s < j * g.strides[1] - left + g.window[1]; s++) {
                    if (r < 0 || r >= h || s < 0 || s >= w) continue;
                    const index = ((b * h + r) * w + s) * c + k;
                    if (best < 0 || xs[index] > xs[best]) best = index;
                  }
                expected.push(best);
              }
        expect(Array.from(argmax.dataSync())).toEqual(expected);

        const dy = randomTensor(rng, output.shape);
        const routed = new Float64Array(xs.length);
        read(dy).forEach((v, o) => (routed[expected[o]] += v));
        const grad = read(maxPoolGrad(dy, { input: x, output, argmax }, g.window, g.strides, g.pad));
        grad.forEach((v, i) => expect(v).toBeCloseTo(routed[i], 5));
      });
    });
  }
});
