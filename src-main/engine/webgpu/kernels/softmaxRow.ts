import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/**
 * WGSL for the softmax of one row of logits [N, C] (`Logits`, row `row`, C = the WGSL expression
 * `columns`), shifted by the row's maximum so that exp never overflows, as the native kernels do it (in
 * float32 here): its maximum, the maximum's first index (tf.argMax's tie rule), Σ exp(y − max), and
 * whether the row is NaN, as it is on the CPU when a logit is NaN or the maximum is infinite (∞ − ∞).
 * `nan` is an expression for NaN (a uniform: WGSL has no NaN constant).
 */
export function softmaxRowFunctions(columns: string, nan: string): string {
  return `
  struct SoftmaxRow {
    max : f32,
    argMax : i32,
    sum : f32,
    isNaN : bool,
  };

  fn softmaxRow(row : i32) -> SoftmaxRow {
    let c = ${columns};
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
      return ${nan};
    }
    return exp(Logits[row * ${columns} + j] - s.max) / s.sum;
  }`;
}

/** The functions above in a TF.js program over Logits, whose uniforms give its shape and NaN. */
const SOFTMAX_ROW = softmaxRowFunctions('uniforms.logitsShape.y', 'uniforms.NAN');

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
