import type { AxpbyAttrs } from '../../ops';
import { fusedKernelNames } from '../../ops';
import { pairwiseKernel } from './webGpuKernel';

/** Inputs a0, b0, a1, b1, …: alpha·a_i + beta·b_i, one dispatch per pair. */
export const axpbyConfig = pairwiseKernel<AxpbyAttrs>(fusedKernelNames.axpby, 'uniforms.alpha * A[index] + uniforms.beta * B[index]', ['alpha', 'beta']);
