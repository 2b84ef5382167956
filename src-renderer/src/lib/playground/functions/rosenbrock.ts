import type { Symmetric2x2 } from '../math/symmetric2x2';
import type { Vec2 } from '../math/vec2';
import type { TestFunction } from './testFunction';

/** f = (a − x)² + b(y − x²)², its gradient and Hessian by hand. */
export function rosenbrockValue(w: Vec2, a = 1, b = 100): number {
  const [x, y] = w;
  return (a - x) ** 2 + b * (y - x * x) ** 2;
}

export function rosenbrockGradient(w: Vec2, a = 1, b = 100): Vec2 {
  const [x, y] = w;
  const r = y - x * x;
  return [-2 * (a - x) - 4 * b * x * r, 2 * b * r];
}

export function rosenbrockHessian(w: Vec2, _a = 1, b = 100): Symmetric2x2 {
  const [x, y] = w;
  return { xx: 2 - 4 * b * y + 12 * b * x * x, xy: -4 * b * x, yy: 2 * b };
}

/** What the clean and the noisy Rosenbrock share: the view, the start and the clean function. */
export const rosenbrockSetting = {
  start: [-1.2, 1] as Vec2,
  view: { xMin: -1.6, xMax: 1.6, yMin: -0.6, yMax: 1.6 },
  minimum: [1, 1] as Vec2,
  minimumValue: 0,
  levelSpacing: 'log',
  value: (w: Vec2) => rosenbrockValue(w),
  gradient: (w: Vec2) => rosenbrockGradient(w),
  hessian: (w: Vec2) => rosenbrockHessian(w),
} satisfies Partial<TestFunction>;

/**
 * Rosenbrock's banana valley (a = 1, b = 100) from the classic start (−1.2, 1): the floor is a curved
 * parabola, so the good direction keeps turning and a fixed learning rate is either unstable on the walls
 * or slow on the floor.
 */
export function createRosenbrock(): TestFunction {
  const fn: TestFunction = {
    id: 'rosenbrock',
    label: 'Rosenbrock (a = 1, b = 100)',
    description:
      '(1 − x)² + 100(y − x²)²: a curved, narrow valley. First-order methods zig-zag across it and then ' +
      'crawl along its floor; the Hessian tells CurveBall which way the floor bends.',
    ...rosenbrockSetting,
    createOracle: () => fn,
  };
  return fn;
}
