import { expect, test } from 'vitest';
import { datasetName } from './datasetName';

test('a dataset source reads as mnist or the last part of its path, on either separator', () => {
  expect(datasetName('mnist')).toBe('mnist');
  expect(datasetName('/data/cifar-10-batches-bin/')).toBe('cifar-10-batches-bin');
  expect(datasetName('C:\\data\\iris.csv')).toBe('iris.csv');
  expect(datasetName('/')).toBe('/');
});
