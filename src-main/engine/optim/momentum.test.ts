import { describe, it } from 'vitest';
import { momentumDefinition } from './momentum';
import { expectVectorsClose, updatesForGradients } from './gradientStepContext.testkit';

const gradients = [
  [1, -2],
  [0.5, 1],
  [-1, 0],
];

describe('momentum', () => {
  it('heavy ball: buf ← 0.9·buf + g, Δw = −0.1·buf (hand-computed)', () => {
    // buf: [1, −2] → [1.4, −0.8] → [0.26, −0.72]
    const updates = updatesForGradients(momentumDefinition.create({ lr: 0.1, momentum: 0.9 }), [0, 0], gradients);
    expectVectorsClose(updates, [[-0.1, 0.2], [-0.14, 0.08], [-0.026, 0.072]], 1e-7);
  });

  it('nesterov: Δw = −lr·(g + μ·buf) (hand-computed)', () => {
    // g + 0.9·buf: [1.9, −3.8], [1.76, 0.28], [−0.766, −0.648]
    const updates = updatesForGradients(momentumDefinition.create({ lr: 0.1, momentum: 0.9, nesterov: true }), [0, 0], gradients);
    expectVectorsClose(updates, [[-0.19, 0.38], [-0.176, -0.028], [0.0766, 0.0648]], 1e-7);
  });

  it('weight decay enters the buffer as an L2 gradient', () => {
    // g' = g + 0.5·w = [1 + 1, −2 − 0.5]; buf = g'; Δw = −0.1·g'
    const updates = updatesForGradients(momentumDefinition.create({ lr: 0.1, momentum: 0.9, weightDecay: 0.5 }), [2, -1], [gradients[0]]);
    expectVectorsClose(updates, [[-0.2, 0.25]], 1e-7);
  });
});
