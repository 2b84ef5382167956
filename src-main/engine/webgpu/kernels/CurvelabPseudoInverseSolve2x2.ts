import { pseudoInverseSolve2x2KernelName } from '../../optim/pseudoInverse2x2OnDevice';
import type { tf } from '../../tf';
import { PSEUDO_INVERSE_SOLVE_2X2 } from './curveballScalarFunctions';
import { runMultiOutputProgram } from './multiOutputProgram';
import { float32Input, webGpuKernel } from './webGpuKernel';

const OPERANDS = ['a11', 'a12', 'a22', 'b1', 'b2'];

/**
 * CurveBall's 2×2 pseudo-inverse solve (optim/pseudoInverse2x2OnDevice.ts) in one invocation
 * (curveballScalarFunctions.ts), one dispatch writing both components (multiOutputProgram.ts).
 */
export const pseudoInverseSolve2x2Config = webGpuKernel<Record<string, never>>(pseudoInverseSolve2x2KernelName, ({ inputs, backend }) => {
  const operands = OPERANDS.map((name): tf.TensorInfo => {
    const t = float32Input(pseudoInverseSolve2x2KernelName, inputs, name);
    if (t.shape.length !== 0) throw new Error(`${pseudoInverseSolve2x2KernelName} takes float32 scalars (${name})`);
    return t;
  });
  return runMultiOutputProgram(backend, {
    key: 'pseudoInverseSolve2x2',
    inputs: operands.map((tensor, i) => ({ name: OPERANDS[i].toUpperCase(), tensor })),
    outputs: [
      { name: 'M0', shape: [] },
      { name: 'M1', shape: [] },
    ],
    uniforms: [],
    workgroupSize: 1,
    workgroups: 1,
    functions: PSEUDO_INVERSE_SOLVE_2X2,
    main: `
      let m = pseudoInverseSolve2x2(A11[0], A12[0], A22[0], B1[0], B2[0]);
      M0[0] = m.x;
      M1[0] = m.y;`,
  });
});
