import { tf } from '../../tf';
import { contiguousReductionKernel } from './contiguousReduction';

/**
 * Sums over a contiguous run of axes (leading ones for bias gradients, the last for row sums) without the
 * transpose TF.js's kernel makes to bring the axes to the end. Other axis sets go to TF.js.
 */
export const sumConfig = contiguousReductionKernel(tf.Sum, false);
