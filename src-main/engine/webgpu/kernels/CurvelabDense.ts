import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { fusedKernelNames } from '../../ops';
import type { DenseAttrs } from '../../ops/fusedKernels';
import { tf } from '../../tf';
import { float32Input, STEP_OF, webGpuKernel } from './webGpuKernel';

/** The side of the square output tile one workgroup computes, one invocation per output element. */
const TILE = 16;

/**
 * The fused dense product (ops/denseProduct.ts) as one dispatch: a [m, k] (or aᵀ, a [k, m]) times
 * b [k, n] (or bᵀ, b [n, k]), through 16×16 tiles of a and b in workgroup memory, then in the same
 * invocation the bias ([n] or [m, n]), the ReLU and, given an input reluOutput y [m, n], the factor
 * step(y). The transposes are read in place: no transpose dispatch before the product.
 */
export const denseConfig = webGpuKernel<DenseAttrs>(fusedKernelNames.dense, ({ inputs, attrs, backend }) => {
  const name = fusedKernelNames.dense;
  const a = float32Input(name, inputs, 'a');
  const b = float32Input(name, inputs, 'b');
  const bias = inputs.bias ? float32Input(name, inputs, 'bias') : null;
  const mask = inputs.reluOutput ? float32Input(name, inputs, 'reluOutput') : null;
  const [m, k] = attrs.transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const [n, bInner] = attrs.transposeB ? b.shape : [b.shape[1], b.shape[0]];
  const biasKind = !bias ? 'none' : tf.util.arraysEqual(bias.shape, [n]) ? 'row' : tf.util.arraysEqual(bias.shape, [m, n]) ? 'full' : null;
  if (a.shape.length !== 2 || b.shape.length !== 2 || bInner !== k || biasKind === null || (mask && !tf.util.arraysEqual(mask.shape, [m, n]))) {
    throw new Error(`${name} takes float32 matrices a [m, k] (or [k, m] with transposeA) and b [k, n] (or [n, k] with transposeB), a bias [n] or [m, n] and a reluOutput [m, n]`);
  }
  const program = denseProgram([m, n], attrs.transposeA, attrs.transposeB, attrs.activation, biasKind, mask !== null);
  const extra = [...(bias ? [bias] : []), ...(mask ? [mask] : [])];
  return backend.runWebGPUProgram(program, [a, b, ...extra], 'float32');
});

function denseProgram(outShape: [number, number], transposeA: boolean, transposeB: boolean, activation: 'linear' | 'relu', bias: 'none' | 'row' | 'full', masked: boolean): WebGPUProgram {
  const variableNames = ['A', 'B', ...(bias === 'none' ? [] : ['Bias']), ...(masked ? ['Mask'] : [])];
  // Tile of a as tileA[row][kk]; with aᵀ, invocation x walks a's contiguous m axis so that loads stay coalesced.
  const loadA = transposeA
    ? `if (t + ly < k && rowBase + lx < m) { tileA[lx][ly] = A[(t + ly) * m + rowBase + lx]; } else { tileA[lx][ly] = 0.0; }`
    : `if (row < m && t + lx < k) { tileA[ly][lx] = A[row * k + t + lx]; } else { tileA[ly][lx] = 0.0; }`;
  // Tile of b as tileB[kk][col]; with bᵀ, the same for b's contiguous k axis.
  const loadB = transposeB
    ? `if (colBase + ly < n && t + lx < k) { tileB[lx][ly] = B[(colBase + ly) * k + t + lx]; } else { tileB[lx][ly] = 0.0; }`
    : `if (t + ly < k && colBase + lx < n) { tileB[ly][lx] = B[(t + ly) * n + colBase + lx]; } else { tileB[ly][lx] = 0.0; }`;
  const epilogue = [
    bias === 'row' ? 'value = value + Bias[col];' : bias === 'full' ? 'value = value + Bias[row * n + col];' : '',
    activation === 'relu' ? 'value = select(value, 0.0, value < 0.0);' : '',
    masked ? 'value = stepOf(Mask[row * n + col]) * value;' : '',
  ].join('\n');
  return {
    shaderKey: `curvelabDense_${transposeA ? 'aT' : 'a'}_${transposeB ? 'bT' : 'b'}_${activation}_${bias}_${masked ? 'mask' : 'nomask'}`,
    variableNames,
    outputShape: outShape,
    dispatchLayout: { x: [1], y: [0] },
    dispatch: [Math.ceil(outShape[1] / TILE), Math.ceil(outShape[0] / TILE), 1],
    workgroupSize: [TILE, TILE, 1],
    getUserCode: () => `
      ${STEP_OF}
      var<workgroup> tileA : array<array<f32, ${TILE}>, ${TILE}>;
      var<workgroup> tileB : array<array<f32, ${TILE}>, ${TILE}>;
      fn main() {
        let m = uniforms.outShape.x;
        let k = ${transposeA ? 'uniforms.aShape.x' : 'uniforms.aShape.y'};
        let n = uniforms.outShape.y;
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let colBase = i32(workgroupId.x) * ${TILE};
        let rowBase = i32(workgroupId.y) * ${TILE};
        let row = rowBase + ly;
        let col = colBase + lx;
        var value = 0.0;
        for (var t = 0; t < k; t = t + ${TILE}) {
          ${loadA}
          ${loadB}
          workgroupBarrier();
          for (var kk = 0; kk < ${TILE}; kk = kk + 1) {
            value = value + tileA[ly][kk] * tileB[kk][lx];
          }
          workgroupBarrier();
        }
        if (row < m && col < n) {
          ${epilogue}
          result[row * n + col] = value;
        }
      }`,
  };
}
