import type { DivideByRootAttrs } from '../../ops';
import { fusedKernelNames } from '../../ops';
import { pairwiseKernel } from './webGpuKernel';

/**
 * Inputs a0, b0, a1, b1, …: a_i / (√b_i + epsilon), one dispatch per pair (the direction of Adam,
 * RMSprop and Adagrad). epsilon is a uniform, since Adam's changes every step.
 */
export const divideByRootConfig = pairwiseKernel<DivideByRootAttrs>(fusedKernelNames.divideByRoot, 'A[index] / (sqrt(B[index]) + uniforms.epsilon)', ['epsilon']);
