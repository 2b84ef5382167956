import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { sumOverLeadingAxesKernelName } from '../../ops';
import { tf } from '../../tf';
import { float32Input, webGpuKernel } from './webGpuKernel';

/** Columns per workgroup (adjacent invocations read adjacent columns: coalesced) and row lanes per column. */
const COLUMNS = 16;
const LANES = 16;
/**
 * Rows one workgroup sums. Up to this many (a dense layer's batch) one dispatch does it all; above (a
 * convolution's batch × positions) the rows are cut into chunks summed side by side, whose sums a
 * second dispatch of the same program adds, so that a tall input still fills the GPU.
 */
const ROWS_PER_CHUNK = 4096;

/** The sum over every axis but the last (ops/sumOverLeadingAxes.ts), without TF.js's transpose. */
export const sumOverLeadingAxesConfig = webGpuKernel<Record<string, never>>(sumOverLeadingAxesKernelName, ({ inputs, backend }) => {
  const x = float32Input(sumOverLeadingAxesKernelName, inputs, 'x');
  const columns = x.shape[x.shape.length - 1];
  let rows: tf.TensorInfo = { dataId: x.dataId, dtype: 'float32', shape: [tf.util.sizeFromShape(x.shape) / columns, columns] };
  for (;;) {
    const chunks = Math.ceil(rows.shape[0] / ROWS_PER_CHUNK);
    const sums = backend.runWebGPUProgram(columnSumsProgram(chunks, columns), [rows], 'float32', [{ type: 'int32', data: [ROWS_PER_CHUNK] }]);
    if (rows.dataId !== x.dataId) backend.disposeData(rows.dataId);
    if (chunks <= 1) return { ...sums, shape: [columns] };
    rows = sums;
  }
});

/** Output [chunks, columns]: row c holds the column sums of input rows c·rowsPerChunk onwards. */
function columnSumsProgram(chunks: number, columns: number): WebGPUProgram {
  return {
    shaderKey: 'curvelabColumnSums',
    variableNames: ['X'],
    outputShape: [chunks, columns],
    dispatchLayout: { x: [1], y: [0] },
    dispatch: [Math.ceil(columns / COLUMNS), chunks, 1],
    workgroupSize: [COLUMNS, LANES, 1],
    uniforms: 'rowsPerChunk : i32,',
    getUserCode: () => `
      var<workgroup> partial : array<array<f32, ${COLUMNS}>, ${LANES}>;
      fn main() {
        let rows = uniforms.xShape.x;
        let columns = uniforms.xShape.y;
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        let column = i32(workgroupId.x) * ${COLUMNS} + lx;
        let chunk = i32(workgroupId.y);
        let end = min(rows, (chunk + 1) * uniforms.rowsPerChunk);
        var sum = 0.0;
        if (column < columns) {
          for (var row = chunk * uniforms.rowsPerChunk + ly; row < end; row = row + ${LANES}) {
            sum = sum + X[row * columns + column];
          }
        }
        partial[ly][lx] = sum;
        workgroupBarrier();
        for (var stride = ${LANES / 2}; stride > 0; stride = stride / 2) {
          if (ly < stride) {
            partial[ly][lx] = partial[ly][lx] + partial[ly + stride][lx];
          }
          workgroupBarrier();
        }
        if (ly == 0 && column < columns) {
          result[chunk * columns + column] = partial[0][lx];
        }
      }`,
  };
}
