import { describe, expect, test } from 'vitest';
import { closestName, didYouMean, editDistance } from './closestName';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3], // k→s, e→i, +g
    ['mnsit', 'mnist', 1], // one swap of neighbours
    ['curvebal', 'curveball', 1],
    ['--epoch', '--epochs', 1],
    ['ca', 'abc', 3], // the optimal string alignment distance: a swap is not edited again
  ])('%j to %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestName', () => {
  const optimizers = ['curveball', 'sgd', 'momentum', 'adam', 'adamw', 'rmsprop', 'adagrad', 'hessian-free'];

  test('suggests the nearest name, case ignored', () => {
    expect(closestName('curvebal', optimizers)).toBe('curveball');
    expect(closestName('Adam', optimizers)).toBe('adam');
    expect(closestName('rmsporp', optimizers)).toBe('rmsprop');
    expect(closestName('hessianfree', optimizers)).toBe('hessian-free');
    expect(closestName('mnsit', ['mnist'])).toBe('mnist');
  });

  test('suggests nothing when no name is close for its length', () => {
    expect(closestName('lbfgs', optimizers)).toBeUndefined();
    expect(closestName('mlpx2', ['mlp', 'linear'])).toBeUndefined(); // two edits in five characters
    expect(closestName('anything', [])).toBeUndefined();
  });

  test('didYouMean phrases the suggestion, or says nothing', () => {
    expect(didYouMean('--epoch', ['--epochs', '--steps'])).toBe('; did you mean --epochs?');
    expect(didYouMean('--frobnicate', ['--epochs', '--steps'])).toBe('');
  });
});
