import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/**
 * WGSL for the softmax of one row of logits [N, C] (`Logits`, row `row`, C = uniforms.logitsShape.y),
 * shifted by the row's maximum so that exp never overflows, as the native kernels do it (in float32
 * here): its maximum, the maximum's first index (tf.argMax's tie rule), Σ exp(y − max), and whether the
 * row is NaN, as it is on the CPU when a logit is NaN or the maximum is infinite (∞ − ∞).
 */
export const SOFTMAX_ROW = `
  struct SoftmaxRow {
    max : f32,
    argMax : i32,
    sum : f32,
    isNaN : bool,
  };

  fn softmaxRow(row : i32) -> SoftmaxRow {
    let c = uniforms.logitsShape.y;
    let start = row * c;
    var s : SoftmaxRow;
    s.max = Logits[start];
    s.argMax = 0;
    s.isNaN = isnan(Logits[start]);
    for (var j = 1; j < c; j = j + 1) {
      let y = Logits[start + j];
      s.isNaN = s.isNaN || isnan(y);
      if (y > s.max) {
        s.max = y;
        s.argMax = j;
      }
    }
    s.isNaN = s.isNaN || isinf(s.max);
    s.sum = 0.0;
    for (var j = 0; j < c; j = j + 1) {
      s.sum = s.sum + exp(Logits[start + j] - s.max);
    }
    return s;
  }

  /** p_j of a row, NaN for a NaN row. */
  fn softmaxAt(s : SoftmaxRow, row : i32, j : i32) -> f32 {
    if (s.isNaN) {
      return uniforms.NAN;
    }
    return exp(Logits[row * uniforms.logitsShape.y + j] - s.max) / s.sum;
  }`;


/**
 * A program over logits [N, C] and one more input `second` (Labels or V), one invocation per row: `body`
 * sees row, n, c and the row's softmax s, and writes the row's C outputs.
 */
export function softmaxRowProgram(shaderKey: string, second: string, shape: [number, number], body: string): WebGPUProgram {
  const workgroupSize: [number, number, number] = [64, 1, 1];
  return {
    shaderKey,
    variableNames: ['Logits', second],
    outputShape: shape,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(shape[0] / workgroupSize[0]), 1, 1],
    workgroupSize,
    getUserCode: () => `
      ${SOFTMAX_ROW}
      fn main(row : i32) {
        let n = uniforms.logitsShape.x;
        let c = uniforms.logitsShape.y;
        if (row < n) {
          let s = softmaxRow(row);
          ${body}
        }
      }`,
  };
}
