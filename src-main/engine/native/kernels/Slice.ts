import { tf } from '../../tf';
import { nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { float32Values, outputArray, sizeOf } from '../tensorData';

/**
 * tf.slice of a float32 tensor as one native gather of a contiguous index range per axis that is cut.
 * TF.js's kernel walks a strided slice element by element (seconds for a cropped activation, as the
 * engine's avgPool gradient makes); a contiguous slice (only the first axis cut) stays with TF.js, which
 * shares the memory instead of copying.
 */
export const sliceConfig = nativeKernel(tf.Slice, ({ inputs, attrs, backend }: NativeKernelArgs<tf.SliceAttrs>, addon) => {
  const { x } = inputs;
  const xValues = float32Values(backend, x);
  if (!x || !xValues || x.shape.length === 0) return null;
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  tf.slice_util.assertParamsValid(x, begin, size);
  const cut = x.shape.map((_, axis) => axis).filter((axis) => begin[axis] !== 0 || size[axis] !== x.shape[axis]);
  if (cut.length === 0 || tf.slice_util.isSliceContinous(x.shape, begin, size)) return null;

  let shape = [...x.shape];
  let values: Float32Array = xValues;
  cut.forEach((axis, i) => {
    const indices = Int32Array.from({ length: size[axis] }, (_, k) => begin[axis] + k);
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const next = i === cut.length - 1 ? outputArray(backend, outer * size[axis] * inner) : new Float32Array(outer * size[axis] * inner);
    addon.gather(values, indices, next, outer, shape[axis], inner);
    shape = shape.map((d, a) => (a === axis ? size[axis] : d));
    values = next;
  });
  return backend.makeTensorInfo(shape, 'float32', values);
});
