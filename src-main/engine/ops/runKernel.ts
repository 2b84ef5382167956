import { tf } from '../tf';

type KernelAttrs = Parameters<ReturnType<typeof tf.engine>['runKernel']>[2];

/** tf.engine().runKernel for a backend kernel by name, with attributes that may be undefined. */
export function runKernel<T extends tf.Tensor | tf.Tensor[]>(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): T {
  // The engine's attribute map type does not admit `undefined`, which the kernels read as "not set".
  return tf.engine().runKernel<T>(name, inputs, attrs as unknown as KernelAttrs);
}
