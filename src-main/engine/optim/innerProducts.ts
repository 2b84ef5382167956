import { pairInnerProducts } from '../ops';
import { paramPairs, sumFloat64, type Params } from '../params';
import { tf, tidyValue } from '../tf';

/** Two vectors to take the inner product of: both parameter-shaped, or both plain tensors of one shape. */
export type InnerProductOperands = [Params, Params] | [tf.Tensor, tf.Tensor];

/**
 * Several inner products for the price of one GPU→CPU sync (and one kernel, where the backend fuses
 * them): each is computed on the device as partial sums (one per parameter, or one for a plain tensor),
 * all parts are read back together, and the parts of each product are added in float64.
 */
export function readInnerProducts<K extends string>(products: Record<K, InnerProductOperands>): Record<K, number> {
  const { keys, parts, ranges } = innerProductParts(products);
  const values = tidyValue(() => parts().dataSync());
  const result = {} as Record<K, number>;
  keys.forEach((key, i) => (result[key] = sumFloat64(values.subarray(ranges[i][0], ranges[i][1]))));
  return result;
}

/**
 * The same inner products left on the device, one scalar each (no read): the parts of each product are
 * added there, in float32.
 */
export function innerProductsOnDevice<K extends string>(products: Record<K, InnerProductOperands>): Record<K, tf.Scalar> {
  const { keys, parts, ranges } = innerProductParts(products);
  const all = parts();
  const result = {} as Record<K, tf.Scalar>;
  keys.forEach((key, i) => {
    const [start, end] = ranges[i];
    const part = tf.slice(all, start, end - start);
    // A product of one part (two plain tensors) is that part: a reshape runs no kernel, a sum would.
    result[key] = end - start === 1 ? tf.reshape(part, []) : tf.sum(part);
  });
  return result;
}

/** The products' partial sums (made when `parts` is called) and which of them (start, end) make each product. */
export function innerProductParts<K extends string>(
  products: Record<K, InnerProductOperands>,
): { keys: K[]; parts: () => tf.Tensor1D; ranges: [number, number][] } {
  const keys = Object.keys(products) as K[];
  const pairs: [tf.Tensor, tf.Tensor][] = [];
  const ranges: [number, number][] = [];
  for (const key of keys) {
    const [a, b] = products[key];
    const start = pairs.length;
    pairs.push(...(a instanceof tf.Tensor ? [[a, b as tf.Tensor] as [tf.Tensor, tf.Tensor]] : paramPairs(a, b as Params)));
    ranges.push([start, pairs.length]);
  }
  return { keys, parts: () => pairInnerProducts(pairs), ranges };
}
