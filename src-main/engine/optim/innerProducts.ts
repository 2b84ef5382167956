import { tf } from '../tf';
import { dotParamsParts, sumFloat64, type Params } from '../params';

/** Two vectors to take the inner product of: both parameter-shaped, or both plain tensors of one shape. */
export type InnerProductOperands = [Params, Params] | [tf.Tensor, tf.Tensor];

/**
 * Several inner products for the price of one GPU→CPU sync: each is computed on the device as float32
 * partial sums (one per parameter, or one for a plain tensor), all parts are read back together, and
 * the parts of each product are added in float64.
 */
export function readInnerProducts<K extends string>(products: Record<K, InnerProductOperands>): Record<K, number> {
  const keys = Object.keys(products) as K[];
  const ranges: [number, number][] = [];
  const values = tf.tidy(() => {
    const parts: tf.Tensor1D[] = [];
    let offset = 0;
    for (const key of keys) {
      const [a, b] = products[key];
      const part =
        a instanceof tf.Tensor ? tf.reshape(tf.sum(tf.mul(a, b as tf.Tensor)), [1]) : dotParamsParts(a, b as Params);
      parts.push(part as tf.Tensor1D);
      ranges.push([offset, offset + part.size]);
      offset += part.size;
    }
    return tf.concat(parts).dataSync();
  });
  const result = {} as Record<K, number>;
  keys.forEach((key, i) => (result[key] = sumFloat64(values.subarray(ranges[i][0], ranges[i][1]))));
  return result;
}
