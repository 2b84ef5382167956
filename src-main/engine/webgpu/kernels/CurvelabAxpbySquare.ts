import type { AxpbySquareAttrs } from '../../ops';
import { fusedKernelNames } from '../../ops';
import { pairwiseKernel } from './webGpuKernel';

/**
 * Inputs a0, b0, a1, b1, …: alpha·a_i + beta·b_i², one dispatch per pair (Adam's v, the squares of
 * RMSprop and Adagrad). b² is rounded before beta multiplies it, as square then multiply are.
 */
export const axpbySquareConfig = pairwiseKernel<AxpbySquareAttrs>(
  fusedKernelNames.axpbySquare,
  'uniforms.alpha * A[index] + uniforms.beta * (B[index] * B[index])',
  ['alpha', 'beta'],
);
