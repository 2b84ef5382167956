import { describe, it } from 'vitest';
import { adagradDefinition } from './adagrad';
import { expectVectorsClose, updatesForGradients } from './gradientStepContext.testkit';

describe('adagrad', () => {
  it('steps by −lr·g/√(Σg²) (hand-computed)', () => {
    // sums of squares: [1, 4] → [1.25, 5] → [2.25, 5.0625]
    const updates = updatesForGradients(adagradDefinition.create({ lr: 0.1 }), [0, 0], [[1, -2], [0.5, 1], [-1, 0.25]]);
    const expected = [
      [-0.1, 0.1],
      [-0.05 / Math.sqrt(1.25), -0.1 / Math.sqrt(5)],
      [0.1 / 1.5, -0.025 / 2.25],
    ];
    expectVectorsClose(updates, expected, 1e-6);
  });

  it('starts the sum at initialAccumulator', () => {
    // s = 3 + 1 = 4 → Δ = −0.1·1/2
    const updates = updatesForGradients(adagradDefinition.create({ lr: 0.1, initialAccumulator: 3 }), [0], [[1]]);
    expectVectorsClose(updates, [[-0.05]], 1e-6);
  });
});
