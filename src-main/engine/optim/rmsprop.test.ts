import { describe, it } from 'vitest';
import { rmspropDefinition } from './rmsprop';
import { expectVectorsClose, updatesForGradients } from './gradientStepContext.testkit';

const gradients = [
  [1, -2],
  [0.5, 1],
  [-1, 0.25],
];

/** RMSprop on one scalar, from the PyTorch documentation's algorithm, in float64. */
function scalarUpdates(gs: number[], lr: number, alpha: number, eps: number, mu: number): number[] {
  let v = 0;
  let buf = 0;
  return gs.map((g) => {
    v = alpha * v + (1 - alpha) * g * g;
    const scaled = g / (Math.sqrt(v) + eps);
    buf = mu * buf + scaled;
    return -lr * (mu > 0 ? buf : scaled);
  });
}

const perStep = (columns: number[][]): number[][] => columns[0].map((_, s) => columns.map((c) => c[s]));

describe('rmsprop', () => {
  it('first step is −lr·g/(0.1·|g|) = −10·lr·sign(g) with alpha 0.99', () => {
    const updates = updatesForGradients(rmspropDefinition.create({ lr: 0.01 }), [0, 0], [gradients[0]]);
    expectVectorsClose(updates, [[-0.1, 0.1]], 1e-6);
  });

  it('matches the scalar recurrence for three steps, without and with momentum', () => {
    for (const momentum of [0, 0.5]) {
      const updates = updatesForGradients(rmspropDefinition.create({ lr: 0.01, alpha: 0.9, momentum }), [0, 0], gradients);
      const expected = perStep([0, 1].map((j) => scalarUpdates(gradients.map((g) => g[j]), 0.01, 0.9, 1e-8, momentum)));
      expectVectorsClose(updates, expected, 1e-6);
    }
  });
});
