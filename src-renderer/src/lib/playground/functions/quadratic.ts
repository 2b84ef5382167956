import type { Symmetric2x2 } from '../math/symmetric2x2';
import { bilinear, multiply } from '../math/symmetric2x2';
import type { Vec2 } from '../math/vec2';
import type { TestFunction } from './testFunction';

/**
 * The Hessian R·diag(1, κ)·Rᵀ of f = ½(u² + κv²) in coordinates (u, v) = Rᵀw, with R the rotation by
 * `angle`: the valley's floor runs along (cos angle, sin angle), the steep walls across it.
 */
export function rotatedQuadraticHessian(conditionNumber: number, angle: number): Symmetric2x2 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return {
    xx: c * c + conditionNumber * s * s,
    xy: (1 - conditionNumber) * c * s,
    yy: s * s + conditionNumber * c * c,
  };
}

/**
 * An ill-conditioned quadratic f(w) = ½wᵀHw, κ = 50, rotated by 30° so that no coordinate axis lines up
 * with the valley (Adam's per-coordinate scaling gets no free help). A gradient step must stay below
 * 2/κ = 0.04 to be stable, and then it crawls along the floor at a rate of (1 − lr) per step.
 */
export function createQuadratic(conditionNumber = 50, angle = Math.PI / 6): TestFunction {
  const hessian = rotatedQuadraticHessian(conditionNumber, angle);
  const fn: TestFunction = {
    id: 'quadratic',
    label: `Quadratic, κ = ${conditionNumber}`,
    description:
      `½(u² + ${conditionNumber}v²) in axes rotated by 30°: a long narrow valley. ` +
      'Gradient steps bounce between the walls; a curvature-aware step goes down the floor.',
    start: [-4, -1.2],
    view: { xMin: -5, xMax: 5, yMin: -3.5, yMax: 3.5 },
    minimum: [0, 0],
    minimumValue: 0,
    levelSpacing: 'quadratic',
    value: (w: Vec2) => 0.5 * bilinear(w, hessian, w),
    gradient: (w: Vec2) => multiply(hessian, w),
    hessian: () => hessian,
    createOracle: () => fn,
  };
  return fn;
}
