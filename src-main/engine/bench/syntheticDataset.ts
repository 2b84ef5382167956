import type { Dataset } from '../data/dataset';
import { Rng } from '../rng';

/** Random inputs and labels of a given shape: what a benchmark trains on (the numbers do not matter). */
export function syntheticDataset(inputShape: number[], classes: number, trainSize: number, seed = 0): Dataset {
  const rng = new Rng(seed);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const split = (n: number) => ({
    x: Float32Array.from({ length: n * size }, () => rng.normal()),
    y: Int32Array.from({ length: n }, () => rng.int(classes)),
    n,
  });
  return {
    name: `synthetic ${inputShape.join('×')}`,
    source: 'synthetic',
    task: 'classification',
    inputShape,
    numClasses: classes,
    targetSize: 1,
    train: split(trainSize),
    validation: split(1),
    augment: false,
  };
}
