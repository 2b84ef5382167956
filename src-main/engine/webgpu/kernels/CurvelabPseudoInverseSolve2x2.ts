import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { pseudoInverseSolve2x2KernelName } from '../../optim/pseudoInverse2x2OnDevice';
import { PSEUDO_INVERSE_SOLVE_2X2 } from './curveballScalarFunctions';
import type { tf } from '../../tf';
import { float32Input, webGpuKernel } from './webGpuKernel';

const OPERANDS = ['a11', 'a12', 'a22', 'b1', 'b2'];

/**
 * CurveBall's 2×2 pseudo-inverse solve (optim/pseudoInverse2x2OnDevice.ts) in one invocation
 * (curveballScalarFunctions.ts). Two dispatches of one pipeline, one per output scalar, as a program
 * writes one output.
 */
export const pseudoInverseSolve2x2Config = webGpuKernel<Record<string, never>>(pseudoInverseSolve2x2KernelName, ({ inputs, backend }) => {
  const operands = OPERANDS.map((name): tf.TensorInfo => {
    const t = float32Input(pseudoInverseSolve2x2KernelName, inputs, name);
    if (t.shape.length !== 0) throw new Error(`${pseudoInverseSolve2x2KernelName} takes float32 scalars (${name})`);
    return t;
  });
  return [0, 1].map((component) => backend.runWebGPUProgram(solveProgram(), operands, 'float32', [{ type: 'int32', data: [component] }]));
});

function solveProgram(): WebGPUProgram {
  return {
    shaderKey: 'curvelabPseudoInverseSolve2x2',
    variableNames: ['A11', 'A12', 'A22', 'B1', 'B2'],
    outputShape: [],
    dispatchLayout: { x: [] },
    dispatch: [1, 1, 1],
    workgroupSize: [1, 1, 1],
    uniforms: 'component : i32,',
    getUserCode: () => `
      ${PSEUDO_INVERSE_SOLVE_2X2}

      fn main(index : i32) {
        let m = pseudoInverseSolve2x2(A11[0], A12[0], A22[0], B1[0], B2[0]);
        result[0] = select(m.x, m.y, uniforms.component == 1);
      }`,
  };
}
