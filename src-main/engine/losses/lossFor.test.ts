import { describe, expect, it } from 'vitest';
import { lossFor } from './lossFor';

describe('lossFor', () => {
  it('trains classification with softmax cross-entropy and regression with mean squared error', () => {
    expect(lossFor('classification').name).toBe('softmaxCrossEntropy');
    expect(lossFor('regression').name).toBe('meanSquaredError');
  });
});
