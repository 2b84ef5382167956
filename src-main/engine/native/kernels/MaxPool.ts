import { tf } from '../../tf';
import { windowPoolKernel } from './windowPoolKernel';

/** Max pooling over the real inputs of each window. */
export const maxPoolConfig = windowPoolKernel(tf.MaxPool, (addon, x, out, geometry) => addon.maxPool(x, out, null, geometry, false));
