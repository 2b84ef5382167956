import { it } from 'vitest';
import { maxPoolGrad, maxPoolWithArgmax } from '../../ops';
import type { Padding } from '../../../shared/modelSpec';
import { tf } from '../../tf';
import { describeNative, expectSameAsCpu, randomInput, Rng, tiedInput, type InputValues } from '../nativeBackend.testkit';

interface PoolCase {
  name: string;
  input: [number, number, number, number];
  size: [number, number];
  strides: [number, number];
  pad: Padding;
}

// small-cnn's 2×2 'same' pools (also on an odd size, where 'same' pads), basic-cnn's overlapping 3×3
// stride-2 windows, and more channels than the kernels' channel block (64).
const cases: PoolCase[] = [
  { name: '2×2 stride 2 same, even input', input: [3, 28, 28, 4], size: [2, 2], strides: [2, 2], pad: 'same' },
  { name: '2×2 stride 2 same, odd input', input: [2, 7, 7, 3], size: [2, 2], strides: [2, 2], pad: 'same' },
  { name: '2×2 stride 2 valid, odd input', input: [2, 7, 9, 3], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { name: '3×3 stride 2 same (overlapping)', input: [2, 9, 8, 5], size: [3, 3], strides: [2, 2], pad: 'same' },
  { name: '3×3 stride 2 valid (overlapping)', input: [2, 9, 9, 2], size: [3, 3], strides: [2, 2], pad: 'valid' },
  { name: '3×3 stride 1 same', input: [1, 5, 6, 2], size: [3, 3], strides: [1, 1], pad: 'same' },
  { name: 'non-square window, batch 1, 70 channels', input: [1, 6, 5, 70], size: [2, 3], strides: [1, 2], pad: 'same' },
];

describeNative('native pooling kernels', () => {
  const rng = new Rng(4);
  const outShape = (c: PoolCase) => tf.backend_util.computePool2DInfo(c.input, c.size, c.strides, 1, c.pad).outShape;

  for (const c of cases) {
    for (const [kind, input] of [
      ['random', (r: Rng) => randomInput(r, c.input)],
      ['tied (ReLU-like)', (r: Rng) => tiedInput(r, c.input)],
    ] as Array<[string, (r: Rng) => InputValues]>) {
      it(`max-pools ${kind} values: ${c.name}`, async () => {
        await expectSameAsCpu([input(rng)], (x) => tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad), { native: ['maxPool'] });
      });

      it(`max-pools with argmax ${kind} values: ${c.name}`, async () => {
        await expectSameAsCpu([input(rng)], (x) => Object.values(maxPoolWithArgmax(x, c.size, c.strides, c.pad)), { native: ['maxPool'] });
      });

      it(`routes dy to the maxima of ${kind} values: ${c.name}`, async () => {
        await expectSameAsCpu(
          [input(rng), randomInput(rng, outShape(c))],
          (x, dy) => maxPoolGrad(dy, { input: x, output: tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad) }, c.size, c.strides, c.pad),
          { native: ['maxPoolGrad'] },
        );
      });
    }

    it(`average-pools: ${c.name}`, async () => {
      await expectSameAsCpu([randomInput(rng, c.input)], (x) => tf.avgPool(x as tf.Tensor4D, c.size, c.strides, c.pad), { native: ['avgPool'] });
    });

    it(`spreads dy over the windows (AvgPoolGrad): ${c.name}`, async () => {
      // The kernel itself, 'same' included (the engine's avgPoolGrad only asks for 'valid' windows).
      await expectSameAsCpu(
        [randomInput(rng, c.input), randomInput(rng, outShape(c))],
        (x, dy) => tf.engine().runKernel(tf.AvgPoolGrad, { dy, input: x }, { filterSize: c.size, strides: c.strides, pad: c.pad }) as tf.Tensor,
        { native: ['avgPoolGrad'] },
      );
    });
  }

  it('gives the argmax without the batch term when includeBatchInIndex is false', async () => {
    await expectSameAsCpu(
      [randomInput(rng, [3, 6, 6, 2])],
      (x) => Object.values(tf.maxPoolWithArgmax(x as tf.Tensor4D, 2, 2, 'valid', false)),
      { native: ['maxPool'] },
    );
  });
});
