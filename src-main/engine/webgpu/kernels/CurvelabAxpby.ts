import type { AxpbyAttrs } from '../../ops';
import { fusedKernelNames } from '../../ops';
import { tf } from '../../tf';
import { elementwiseProgram, pairsOf, runFlat, webGpuKernel } from './webGpuKernel';

/**
 * Inputs a0, b0, a1, b1, …: alpha·a_i + beta·b_i, one dispatch per pair (each output is its own buffer,
 * and a program writes one). alpha and beta are uniforms: one pipeline for every update.
 */
export const axpbyConfig = webGpuKernel<AxpbyAttrs>(fusedKernelNames.axpby, ({ inputs, attrs, backend }) =>
  pairsOf(fusedKernelNames.axpby, inputs).map(([a, b]) => {
    const program = elementwiseProgram(
      'curvelabAxpby',
      ['A', 'B'],
      tf.util.sizeFromShape(a.shape),
      'setOutputAtIndex(index, uniforms.alpha * A[index] + uniforms.beta * B[index]);',
      'alpha : f32, beta : f32,',
    );
    return runFlat(backend, program, [a, b], a.shape, [
      { type: 'float32', data: [attrs.alpha] },
      { type: 'float32', data: [attrs.beta] },
    ]);
  }),
);
