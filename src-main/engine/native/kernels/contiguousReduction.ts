import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';

/** x viewed as [outer, reduce, inner] for a reduction over a contiguous run of axes. */
export interface ContiguousReduction {
  outer: number;
  reduce: number;
  inner: number;
  outShape: number[];
}

/**
 * The layout of Sum/Mean over `axis` when the axes form one contiguous run (leading axes for bias
 * gradients and batch-norm statistics, the last for row sums); null for other axis sets, which go to TF.js.
 */
export function contiguousReduction(shape: number[], axis: number | number[], keepDims: boolean): ContiguousReduction | null {
  const axes = [...tf.util.parseAxisParam(axis, shape)].sort((p, q) => p - q);
  if (axes.length === 0 || axes.some((a, i) => i > 0 && a !== axes[i - 1] + 1)) return null;
  const first = axes[0];
  const last = axes[axes.length - 1];
  const kept = shape.filter((_, a) => a < first || a > last);
  return {
    outer: sizeOf(shape.slice(0, first)),
    reduce: sizeOf(shape.slice(first, last + 1)),
    inner: sizeOf(shape.slice(last + 1)),
    outShape: keepDims ? tf.backend_util.expandShapeToKeepDim(kept, axes) : kept,
  };
}

/** A Sum or Mean kernel over contiguous axes: the native sum, divided by the count for a mean. */
export function contiguousReductionKernel(kernelName: typeof tf.Sum | typeof tf.Mean, divideByCount: boolean): tf.KernelConfig {
  return nativeKernel(kernelName, ({ inputs, attrs, backend }: NativeKernelArgs<tf.SumAttrs>, addon) => {
    const { x } = inputs;
    const xValues = float32Values(backend, x);
    if (!x || !xValues || xValues.length === 0) return null;
    const layout = contiguousReduction(x.shape, attrs.axis, attrs.keepDims);
    if (!layout) return null;
    const out = outputArray(backend, layout.outer * layout.inner);
    addon.sum(xValues, out, layout.outer, layout.reduce, layout.inner);
    if (divideByCount) for (let i = 0; i < out.length; i++) out[i] /= layout.reduce;
    return backend.makeTensorInfo(layout.outShape, 'float32', out);
  });
}
