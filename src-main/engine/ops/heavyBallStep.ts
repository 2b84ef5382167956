import { tf } from '../tf';
import { hasFusedKernel, sameFloat32Shape } from './fusedKernels';

/**
 * The kernel a GPU backend may register for heavyBallStepEach with ρ and β as float32 scalar tensors:
 * inputs rho, beta, z0, dz0, w0, z1, …; outputs z0', w0', z1', w1', …, each pair from one dispatch.
 */
export const heavyBallStepKernelName = 'CurvelabHeavyBallStep';

/**
 * z' = ρ·z − β·dz and w' = w + z' for each tensor (z, dz, w of one shape): a heavy-ball step and its
 * application, the two in one pass per tensor where the backend fuses them (CurveBall on webgpu), else
 * two. ρ and β are scalars left on the backend.
 */
export function heavyBallStepEach(rho: tf.Scalar, z: tf.Tensor[], beta: tf.Scalar, dz: tf.Tensor[], w: tf.Tensor[]): { steps: tf.Tensor[]; weights: tf.Tensor[] } {
  if (z.length > 0 && z.every((t, i) => sameFloat32Shape(t, dz[i]) && sameFloat32Shape(t, w[i])) && hasFusedKernel(heavyBallStepKernelName)) {
    const inputs: tf.NamedTensorMap = { rho, beta };
    z.forEach((t, i) => Object.assign(inputs, { [`z${i}`]: t, [`dz${i}`]: dz[i], [`w${i}`]: w[i] }));
    const outputs = tf.engine().runKernel(heavyBallStepKernelName, inputs) as tf.Tensor[];
    return { steps: outputs.filter((_, i) => i % 2 === 0), weights: outputs.filter((_, i) => i % 2 === 1) };
  }
  return tf.tidy(() => {
    const steps = z.map((t, i) => tf.sub(tf.mul(rho, t), tf.mul(beta, dz[i])));
    return { steps, weights: w.map((t, i) => tf.add(t, steps[i])) };
  });
}
