import { describe, expect, it } from 'vitest';
import type { Oracle } from '../functions/testFunction';
import type { Vec2 } from '../math/vec2';
import { createPlaneAdam } from './planeAdam';
import { createPlaneMomentum } from './planeMomentum';
import { createPlaneSgd } from './planeSgd';

/** f = x² + 3y² (gradient (2x, 6y), Hessian diag(2, 6)): small enough to step through by hand. */
const bowl: Oracle = {
  value: ([x, y]) => x * x + 3 * y * y,
  gradient: ([x, y]) => [2 * x, 6 * y],
  hessian: () => ({ xx: 2, xy: 0, yy: 6 }),
};

function expectVec(actual: Vec2, expected: Vec2, digits = 12): void {
  expect(actual[0]).toBeCloseTo(expected[0], digits);
  expect(actual[1]).toBeCloseTo(expected[1], digits);
}

describe('SGD', () => {
  it('steps against the gradient: (1, 1) − 0.1·(2, 6) = (0.8, 0.4)', () => {
    expectVec(createPlaneSgd({ learningRate: 0.1 }).step([1, 1], bowl).w, [0.8, 0.4]);
  });
});

describe('momentum', () => {
  it('takes its first two steps as computed by hand', () => {
    const optimizer = createPlaneMomentum({ learningRate: 0.1, momentum: 0.5 });
    // v₁ = −0.1·(2, 6) = (−0.2, −0.6); w₁ = (0.8, 0.4)
    const w1 = optimizer.step([1, 1], bowl).w;
    expectVec(w1, [0.8, 0.4]);
    // g(w₁) = (1.6, 2.4); v₂ = 0.5·(−0.2, −0.6) − 0.1·(1.6, 2.4) = (−0.26, −0.54); w₂ = (0.54, −0.14)
    expectVec(optimizer.step(w1, bowl).w, [0.54, -0.14]);
  });
});

describe('Adam', () => {
  it('moves each coordinate by −lr·sign(g) on its first step, whatever the gradient’s size', () => {
    const optimizer = createPlaneAdam({ learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-12 });
    // g at (3, −0.01) is (6, −0.06): very different sizes, same step length.
    expectVec(optimizer.step([3, -0.01], bowl).w, [3 - 0.05, -0.01 + 0.05], 9);
  });

  it('takes its second step as computed by hand', () => {
    const optimizer = createPlaneAdam({ learningRate: 0.1, beta1: 0.5, beta2: 0.75, epsilon: 0 });
    const w1 = optimizer.step([1, 1], bowl).w;
    expectVec(w1, [0.9, 0.9]);
    // x: g₁ = 2, g₂ = 1.8. m = 0.5·1 + 0.5·1.8 = 1.4, m̂ = 1.4/0.75; v = 0.75·1 + 0.25·3.24 = 1.56, v̂ = 1.56/0.4375.
    // y: g₁ = 6, g₂ = 5.4. m = 0.5·3 + 0.5·5.4 = 4.2, m̂ = 4.2/0.75; v = 0.75·9 + 0.25·29.16 = 14.04, v̂ = 14.04/0.4375.
    const stepX = (0.1 * (1.4 / 0.75)) / Math.sqrt(1.56 / 0.4375);
    const stepY = (0.1 * (4.2 / 0.75)) / Math.sqrt(14.04 / 0.4375);
    expectVec(optimizer.step(w1, bowl).w, [0.9 - stepX, 0.9 - stepY]);
  });
});
