import { finiteOrZeroKernelName } from '../../optim/stepScalars';
import { tf } from '../../tf';
import { elementwiseProgram, float32Input, runFlat, webGpuKernel } from './webGpuKernel';

/**
 * Input x: x where it is finite and not zero, else +0 (so −0 and NaN and ±∞ become +0), one dispatch.
 * Finite is tested on the bits (exponent not all ones), and zero by comparison (true for −0), so that no
 * compiler's view of x + 0 matters.
 */
export const finiteOrZeroConfig = webGpuKernel<Record<string, never>>(finiteOrZeroKernelName, ({ inputs, backend }) => {
  const x = float32Input(finiteOrZeroKernelName, inputs, 'x');
  const program = elementwiseProgram(
    'curvelabFiniteOrZero',
    ['X'],
    tf.util.sizeFromShape(x.shape),
    `let value = X[index];
          let notFinite = (bitcast<u32>(value) & 0x7f800000u) == 0x7f800000u;
          setOutputAtIndex(index, select(value, 0.0, notFinite || value == 0.0));`,
  );
  return runFlat(backend, program, [x], x.shape);
});
