import { SeededRandom } from '../math/seededRandom';
import type { Vec2 } from '../math/vec2';
import { rosenbrockGradient, rosenbrockHessian, rosenbrockSetting, rosenbrockValue } from './rosenbrock';
import type { Oracle, TestFunction } from './testFunction';

export const noisyRosenbrockDefaults = { noiseScale: 5, seed: 20190 };

/**
 * Rosenbrock with gradient noise, standing in for minibatch noise: each gradient the optimizers see is
 * the true one plus independent N(0, noiseScale²) noise per coordinate. Values and Hessians are clean
 * (CurveBall still uses the exact Hessian), and the contour shows the clean function. Every oracle draws
 * from its own generator with the same seed, so each optimizer's trajectory is repeatable.
 */
export function createNoisyRosenbrock(noiseScale = noisyRosenbrockDefaults.noiseScale, seed = noisyRosenbrockDefaults.seed): TestFunction {
  return {
    id: 'noisyRosenbrock',
    label: `Noisy Rosenbrock (σ = ${noiseScale})`,
    description:
      `Rosenbrock whose gradients carry Gaussian noise (σ = ${noiseScale}, seed ${seed}), like minibatch ` +
      'gradients; the contour shows the clean function. CurveBall starts with more damping here: an undamped ' +
      'curvature step would blow the noise up along the valley’s flat direction.',
    ...rosenbrockSetting,
    createOracle: (): Oracle => {
      const random = new SeededRandom(seed);
      return {
        value: (w) => rosenbrockValue(w),
        gradient: (w: Vec2): Vec2 => {
          const [gx, gy] = rosenbrockGradient(w);
          return [gx + noiseScale * random.normal(), gy + noiseScale * random.normal()];
        },
        hessian: (w) => rosenbrockHessian(w),
      };
    },
  };
}
