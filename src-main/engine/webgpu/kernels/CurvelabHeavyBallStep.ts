import { heavyBallStepKernelName } from '../../ops';
import { tf } from '../../tf';
import { runMultiOutputProgram } from './multiOutputProgram';
import { float32Input, webGpuKernel } from './webGpuKernel';

const WORKGROUP_SIZE = 64;

/**
 * heavyBallStepEach (ops/heavyBallStep.ts): for each tensor, z' = ρ·z − β·dz and w' = w + z' in one
 * dispatch writing both (multiOutputProgram.ts), where TF.js's one-output programs took one for z' and
 * one for w'. ρ and β are read on the device.
 */
export const heavyBallStepConfig = webGpuKernel<Record<string, never>>(heavyBallStepKernelName, ({ inputs, backend }) => {
  const name = heavyBallStepKernelName;
  const rho = float32Input(name, inputs, 'rho');
  const beta = float32Input(name, inputs, 'beta');
  const count = Object.keys(inputs).filter((key) => /^z\d+$/.test(key)).length;
  if (rho.shape.length !== 0 || beta.shape.length !== 0) throw new Error(`${name} takes float32 scalars rho and beta`);
  return Array.from({ length: count }, (_, i) => {
    const [z, dz, w] = ['z', 'dz', 'w'].map((role) => float32Input(name, inputs, `${role}${i}`));
    const size = tf.util.sizeFromShape(z.shape);
    if (tf.util.sizeFromShape(dz.shape) !== size || tf.util.sizeFromShape(w.shape) !== size) throw new Error(`${name} takes z, dz and w of one size (tensor ${i})`);
    return runMultiOutputProgram(backend, {
      key: 'heavyBallStep',
      inputs: [
        { name: 'Rho', tensor: rho },
        { name: 'Beta', tensor: beta },
        { name: 'Z', tensor: z },
        { name: 'Dz', tensor: dz },
        { name: 'W', tensor: w },
      ],
      outputs: [
        { name: 'ZNew', shape: z.shape },
        { name: 'WNew', shape: z.shape },
      ],
      uniforms: [{ name: 'size', type: 'i32', value: size }],
      workgroupSize: WORKGROUP_SIZE,
      workgroups: Math.ceil(size / WORKGROUP_SIZE),
      main: `
        if (index < uniforms.size) {
          let step = Rho[0] * Z[index] - Beta[0] * Dz[index];
          ZNew[index] = step;
          WNew[index] = W[index] + step;
        }`,
    });
  }).flat();
});
