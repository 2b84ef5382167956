import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { float32EigenvalueCutoff, pseudoInverseSolve2x2KernelName } from '../../optim/pseudoInverse2x2OnDevice';
import type { tf } from '../../tf';
import { float32Input, webGpuKernel } from './webGpuKernel';

const OPERANDS = ['a11', 'a12', 'a22', 'b1', 'b2'];

/**
 * CurveBall's 2×2 pseudo-inverse solve (optim/pseudoInverse2x2OnDevice.ts) in one invocation: the same
 * float32 steps as the TF.js ops there, in their order, with TF.js's webgpu semantics where they matter
 * (maximum propagates NaN). Two dispatches of one pipeline, one per output scalar, as a program writes
 * one output.
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
      fn maxNaN(a : f32, b : f32) -> f32 {
        if (isnan(a)) { return a; }
        if (isnan(b)) { return b; }
        return max(a, b);
      }

      fn main(index : i32) {
        let a11 = A11[0];
        let a12 = A12[0];
        let a22 = A22[0];
        let b1 = B1[0];
        let b2 = B2[0];
        let diagonalDifference = a11 - a22;
        let twiceOffDiagonal = 2.0 * a12;
        let scale = maxNaN(abs(diagonalDifference), abs(twiceOffDiagonal));
        let d = diagonalDifference / scale;
        let o = twiceOffDiagonal / scale;
        let r = scale * sqrt(d * d + o * o);
        let rotates = r > 0.0;
        let cos2 = select(1.0, diagonalDifference / r, rotates);
        let sin2 = select(0.0, twiceOffDiagonal / r, rotates);
        let cosLarger = cos2 >= 0.0;
        let root = sqrt(0.5 * (1.0 + abs(cos2)));
        let other = sin2 / (2.0 * root);
        let c = select(other, root, cosLarger);
        let s = select(root, other, cosLarger);
        let x = array<f32, 2>(c, -s);
        let y = array<f32, 2>(s, c);
        var values : array<f32, 2>;
        for (var i = 0; i < 2; i = i + 1) {
          values[i] = a11 * x[i] * x[i] + 2.0 * a12 * x[i] * y[i] + a22 * y[i] * y[i];
        }
        let cutoff = ${float32EigenvalueCutoff} * maxNaN(abs(values[0]), abs(values[1]));
        var m = 0.0;
        for (var i = 0; i < 2; i = i + 1) {
          let kept = abs(values[i]) > cutoff;
          let coefficient = (x[i] * b1 + y[i] * b2) / values[i];
          let along = select(x[i], y[i], uniforms.component == 1);
          m = m + select(0.0, coefficient * along, kept);
        }
        result[0] = m;
      }`,
  };
}
