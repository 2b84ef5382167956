import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { fusedKernelNames } from '../../ops';
import type { DenseAttrs } from '../../ops/fusedKernels';
import { tf } from '../../tf';
import { float32Input, STEP_OF, webGpuKernel } from './webGpuKernel';

/** The side of the square output tile one workgroup computes, one invocation per output element. */
const TILE = 16;

/**
 * The fused dense product (ops/denseProduct.ts) as one dispatch: a [m, k] times b [k, n] (or bᵀ, b
 * [n, k]), through 16×16 tiles of a and b in workgroup memory, then in the same invocation the bias
 * ([n] or [m, n]), the ReLU and, given an input reluOutput y [m, n], the factor step(y).
 */
export const denseConfig = webGpuKernel<DenseAttrs>(fusedKernelNames.dense, ({ inputs, attrs, backend }) => {
  const name = fusedKernelNames.dense;
  const a = float32Input(name, inputs, 'a');
  const b = float32Input(name, inputs, 'b');
  const bias = inputs.bias ? float32Input(name, inputs, 'bias') : null;
  const mask = inputs.reluOutput ? float32Input(name, inputs, 'reluOutput') : null;
  const [m, k] = a.shape;
  const [n, bInner] = attrs.transposeB ? b.shape : [b.shape[1], b.shape[0]];
  const biasKind = !bias ? 'none' : tf.util.arraysEqual(bias.shape, [n]) ? 'row' : tf.util.arraysEqual(bias.shape, [m, n]) ? 'full' : null;
  if (a.shape.length !== 2 || b.shape.length !== 2 || bInner !== k || attrs.transposeA || biasKind === null || (mask && !tf.util.arraysEqual(mask.shape, [m, n]))) {
    throw new Error(`${name} takes float32 matrices a [m, k] and b [k, n] (or [n, k] with transposeB), a bias [n] or [m, n] and a reluOutput [m, n]`);
  }
  const program = denseProgram([m, n], attrs.transposeB, attrs.activation, biasKind, mask !== null);
  const extra = [...(bias ? [bias] : []), ...(mask ? [mask] : [])];
  return backend.runWebGPUProgram(program, [a, b, ...extra], 'float32');
});

function denseProgram(outShape: [number, number], transposeB: boolean, activation: 'linear' | 'relu', bias: 'none' | 'row' | 'full', masked: boolean): WebGPUProgram {
  const variableNames = ['A', 'B', ...(bias === 'none' ? [] : ['Bias']), ...(masked ? ['Mask'] : [])];
  // Tile of b as tileB[kk][col]; with bᵀ, invocation x walks b's contiguous k axis so that loads stay coalesced.
  const loadB = transposeB
    ? `if (colBase + ly < n && t + lx < k) { tileB[lx][ly] = B[(colBase + ly) * k + t + lx]; } else { tileB[lx][ly] = 0.0; }`
    : `if (t + ly < k && colBase + lx < n) { tileB[ly][lx] = B[(t + ly) * n + colBase + lx]; } else { tileB[ly][lx] = 0.0; }`;
  const epilogue = [
    bias === 'row' ? 'value = value + Bias[col];' : bias === 'full' ? 'value = value + Bias[row * n + col];' : '',
    activation === 'relu' ? 'value = select(value, 0.0, value < 0.0);' : '',
    masked ? 'value = stepOf(Mask[row * n + col]) * value;' : '',
  ].join('\n');
  return {
    shaderKey: `curvelabDense_${transposeB ? 'bT' : 'b'}_${activation}_${bias}_${masked ? 'mask' : 'nomask'}`,
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
        let m = uniforms.aShape.x;
        let k = uniforms.aShape.y;
        let n = uniforms.outShape.y;
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let colBase = i32(workgroupId.x) * ${TILE};
        let row = i32(workgroupId.y) * ${TILE} + ly;
        let col = colBase + lx;
        var value = 0.0;
        for (var t = 0; t < k; t = t + ${TILE}) {
          if (row < m && t + lx < k) { tileA[ly][lx] = A[row * k + t + lx]; } else { tileA[ly][lx] = 0.0; }
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
