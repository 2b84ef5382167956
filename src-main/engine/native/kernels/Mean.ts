import { tf } from '../../tf';
import { contiguousReductionKernel } from './contiguousReduction';

/**
 * Means over a contiguous run of axes: the native sum, scaled. Batch-norm's statistics over N, H and W
 * are the case that matters: TF.js's kernel transposes the whole activation to bring those axes last.
 */
export const meanConfig = contiguousReductionKernel(tf.Mean, true);
