import { axpbyScalarsKernelName } from '../../ops';
import { tf } from '../../tf';
import { elementwiseProgram, float32Input, pairsOf, runFlat, webGpuKernel } from './webGpuKernel';

/**
 * Inputs alpha and beta (float32 scalars on the device) and pairs a0, b0, a1, b1, …: alpha·a_i + beta·b_i,
 * one dispatch per pair, the scalars read by the shader where CurvelabAxpby takes them as uniforms.
 */
export const axpbyScalarsConfig = webGpuKernel<Record<string, never>>(axpbyScalarsKernelName, ({ inputs, backend }) => {
  const alpha = float32Input(axpbyScalarsKernelName, inputs, 'alpha');
  const beta = float32Input(axpbyScalarsKernelName, inputs, 'beta');
  if (tf.util.sizeFromShape(alpha.shape) !== 1 || tf.util.sizeFromShape(beta.shape) !== 1) throw new Error(`${axpbyScalarsKernelName} takes scalar alpha and beta`);
  return pairsOf(axpbyScalarsKernelName, inputs).map(([a, b]) => {
    const program = elementwiseProgram('curvelabAxpbyScalars', ['Alpha', 'Beta', 'A', 'B'], tf.util.sizeFromShape(a.shape), 'setOutputAtIndex(index, Alpha[0] * A[index] + Beta[0] * B[index]);');
    return runFlat(backend, program, [alpha, beta, a, b], a.shape);
  });
});
