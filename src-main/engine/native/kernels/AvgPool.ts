import { tf } from '../../tf';
import { windowPoolKernel } from './windowPoolKernel';

/** Average pooling: the mean of the real (unpadded) inputs of each window, as TF does. */
export const avgPoolConfig = windowPoolKernel(tf.AvgPool, (addon, x, out, geometry) => addon.avgPool(x, out, geometry));
