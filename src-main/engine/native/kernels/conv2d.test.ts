import { it } from 'vitest';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../../ops';
import type { Padding } from '../../../shared/modelSpec';
import { tf } from '../../tf';
import { describeNative, expectSameAsCpu, randomInput, Rng } from '../nativeBackend.testkit';

interface ConvCase {
  name: string;
  input: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Padding;
}

// The layers' cases (small-cnn, basic-cnn) and the edges of the geometry: odd sizes, strides that do not
// divide the input, even filters ('same' pads more after than before), 1×1, batch 1, one channel.
const cases: ConvCase[] = [
  { name: 'small-cnn layer 1: 28×28×1, 3×3×16, same', input: [3, 28, 28, 1], filter: [3, 3, 1, 16], strides: [1, 1], pad: 'same' },
  { name: 'small-cnn layer 2: 14×14×16, 3×3×32, same', input: [2, 14, 14, 16], filter: [3, 3, 16, 32], strides: [1, 1], pad: 'same' },
  { name: 'basic-cnn: 5×5 filter, same', input: [2, 12, 12, 3], filter: [5, 5, 3, 8], strides: [1, 1], pad: 'same' },
  { name: 'odd input, stride 2, same', input: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: 'same' },
  { name: 'odd input, stride 2, valid', input: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: 'valid' },
  { name: 'unequal strides, non-square filter', input: [1, 8, 11, 2], filter: [2, 3, 2, 5], strides: [2, 1], pad: 'same' },
  { name: 'even filter, same', input: [2, 6, 6, 3], filter: [2, 2, 3, 3], strides: [1, 1], pad: 'same' },
  { name: '1×1 pointwise', input: [2, 5, 4, 6], filter: [1, 1, 6, 7], strides: [1, 1], pad: 'valid' },
  { name: '1×1 with stride 2', input: [2, 5, 5, 3], filter: [1, 1, 3, 2], strides: [2, 2], pad: 'same' },
  { name: 'batch 1, valid, filter as large as the input', input: [1, 4, 4, 2], filter: [4, 4, 2, 3], strides: [1, 1], pad: 'valid' },
];

describeNative('native Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter', () => {
  const rng = new Rng(3);

  for (const c of cases) {
    const out = tf.backend_util.computeConv2DInfo(c.input, c.filter, c.strides, 1, c.pad).outShape;

    it(`convolves: ${c.name}`, async () => {
      await expectSameAsCpu([randomInput(rng, c.input), randomInput(rng, c.filter)], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad), {
        native: ['conv2d'],
      });
    });

    it(`pulls dy back to the input: ${c.name}`, async () => {
      await expectSameAsCpu([randomInput(rng, out), randomInput(rng, c.filter)], (dy, w) => conv2dBackpropInput(dy, w, c.input, c.strides, c.pad), {
        native: ['conv2dBackpropInput'],
      });
    });

    it(`pulls dy back to the filter: ${c.name}`, async () => {
      await expectSameAsCpu([randomInput(rng, c.input), randomInput(rng, out)], (x, dy) => conv2dBackpropFilter(x, dy, c.filter, c.strides, c.pad), {
        native: ['conv2dBackpropFilter'],
      });
    });
  }

  for (const c of [cases[0], cases[3], cases[5]]) {
    for (const activation of ['linear', 'relu'] as const) {
      it(`adds the bias and applies ${activation} in the convolution's array: ${c.name}`, async () => {
        const inputs = [randomInput(rng, c.input), randomInput(rng, c.filter), randomInput(rng, [c.filter[3]])];
        await expectSameAsCpu(inputs, (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: c.strides, pad: c.pad, bias: b, activation }), {
          native: ['conv2d', 'binary', ...(activation === 'relu' ? (['relu'] as const) : [])],
        });
      });
    }
  }

  it('runs a fused convolution without a bias or with a full-shape bias natively, and leaves other activations to TF.js', async () => {
    const x = randomInput(rng, [2, 6, 6, 3]);
    const w = randomInput(rng, [3, 3, 3, 4]);
    await expectSameAsCpu([x, w], (a, f) => tf.fused.conv2d({ x: a as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', activation: 'relu' }), {
      native: ['conv2d', 'relu'],
    });
    await expectSameAsCpu([x, w, randomInput(rng, [4])], (a, f, b) => tf.fused.conv2d({ x: a as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'elu' }), {
      native: [],
    });
    // A bias of the output's shape (the conv JVP's x∗dK + db) is added elementwise.
    await expectSameAsCpu([x, w, randomInput(rng, [2, 6, 6, 4])], (a, f, b) => tf.fused.conv2d({ x: a as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', bias: b }), {
      native: ['conv2d', 'binary'],
    });
  });

  it('convolves with explicit numeric padding', async () => {
    await expectSameAsCpu([randomInput(rng, [2, 6, 5, 2]), randomInput(rng, [3, 3, 2, 3])], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 1), {
      native: ['conv2d'],
    });
  });

  it('leaves dilated convolutions to TF.js', async () => {
    await expectSameAsCpu([randomInput(rng, [1, 9, 9, 2]), randomInput(rng, [3, 3, 2, 2])], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2), {
      native: [],
    });
  });

  it('leaves NCHW convolutions to TF.js', async () => {
    await expectSameAsCpu([randomInput(rng, [1, 2, 6, 6]), randomInput(rng, [3, 3, 2, 3])], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NCHW'), {
      native: [],
    });
  });
});
