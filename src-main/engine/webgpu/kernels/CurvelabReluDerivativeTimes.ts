import { fusedKernelNames } from '../../ops';
import { tf } from '../../tf';
import { elementwiseProgram, float32Input, runFlat, STEP_OF, webGpuKernel } from './webGpuKernel';

/** Inputs y and dy of one shape: step(y)·dy, one dispatch. */
export const reluDerivativeTimesConfig = webGpuKernel<Record<string, never>>(fusedKernelNames.reluDerivativeTimes, ({ inputs, backend }) => {
  const y = float32Input(fusedKernelNames.reluDerivativeTimes, inputs, 'y');
  const dy = float32Input(fusedKernelNames.reluDerivativeTimes, inputs, 'dy');
  const size = tf.util.sizeFromShape(y.shape);
  if (tf.util.sizeFromShape(dy.shape) !== size) throw new Error(`${fusedKernelNames.reluDerivativeTimes} takes y and dy of one shape`);
  const program = elementwiseProgram('curvelabReluDerivativeTimes', ['Y', 'Dy'], size, 'setOutputAtIndex(index, stepOf(Y[index]) * Dy[index]);', undefined, STEP_OF);
  return runFlat(backend, program, [y, dy], y.shape);
});
