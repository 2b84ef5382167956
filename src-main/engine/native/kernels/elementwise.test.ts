import { it } from 'vitest';
import { tf } from '../../tf';
import { describeNative, expectSameAsCpu, intInput, randomInput, Rng } from '../nativeBackend.testkit';

const ops = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: tf.div,
} as const;

// Same shapes; a conv bias over NHWC; a dense bias; scalars; row sums kept as [N, 1]; both sides
// broadcasting; a size-1 dimension in the middle; inputs of different rank.
const shapePairs: Array<[number[], number[]]> = [
  [[4, 5, 6], [4, 5, 6]],
  [[3, 7, 5, 16], [16]],
  [[128, 10], [10]],
  [[6, 3], []],
  [[], [5, 2]],
  [[9, 10], [9, 1]],
  [[1, 7], [5, 1]],
  [[2, 1, 3], [2, 4, 3]],
  [[4, 1, 3, 1], [5, 1, 2]],
  [[300, 300], [300, 300]],
];

describeNative('native Add, Sub, Multiply and RealDiv', () => {
  const rng = new Rng(5);
  for (const [name, op] of Object.entries(ops)) {
    for (const [aShape, bShape] of shapePairs) {
      it(`${name}: [${aShape}] with [${bShape}]`, async () => {
        await expectSameAsCpu([randomInput(rng, aShape), randomInput(rng, bShape)], (a, b) => op(a, b), { native: ['binary'] });
      });
    }
  }

  it('leaves int32 arithmetic to TF.js', async () => {
    await expectSameAsCpu([intInput([3], [1, 2, 3]), intInput([3], [4, 5, 6])], (a, b) => tf.add(a, b), { native: [] });
  });
});

describeNative('native Relu and Step', () => {
  const rng = new Rng(6);
  const special = { shape: [6], values: Float32Array.from([NaN, -0, 0, -1.5, 2, Infinity]) };

  it('applies relu', async () => {
    await expectSameAsCpu([randomInput(rng, [5, 40000])], (x) => tf.relu(x), { native: ['relu'] });
  });

  it('keeps relu of NaN and −0 as TF.js does', async () => {
    await expectSameAsCpu([special], (x) => tf.relu(x), { native: ['relu'] });
  });

  for (const alpha of [0, 0.3]) {
    it(`applies step with alpha ${alpha}`, async () => {
      await expectSameAsCpu([randomInput(rng, [70000])], (x) => tf.step(x, alpha), { native: ['step'] });
      await expectSameAsCpu([special], (x) => tf.step(x, alpha), { native: ['step'] });
    });
  }
});
