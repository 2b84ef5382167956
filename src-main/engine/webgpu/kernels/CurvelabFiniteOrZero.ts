import { finiteOrZeroKernelName } from '../../optim/stepScalars';
import { tf } from '../../tf';
import { FINITE_OR_ZERO } from './curveballScalarFunctions';
import { elementwiseProgram, float32Input, runFlat, webGpuKernel } from './webGpuKernel';

/** Input x: finiteOrZero of each element (curveballScalarFunctions.ts), one dispatch. */
export const finiteOrZeroConfig = webGpuKernel<Record<string, never>>(finiteOrZeroKernelName, ({ inputs, backend }) => {
  const x = float32Input(finiteOrZeroKernelName, inputs, 'x');
  const program = elementwiseProgram('curvelabFiniteOrZero', ['X'], tf.util.sizeFromShape(x.shape), 'setOutputAtIndex(index, finiteOrZero(X[index]));', undefined, FINITE_OR_ZERO);
  return runFlat(backend, program, [x], x.shape);
});
