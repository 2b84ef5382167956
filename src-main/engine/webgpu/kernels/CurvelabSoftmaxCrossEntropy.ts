import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { fusedKernelNames } from '../../ops';
import type { tf } from '../../tf';
import { float32Input, webGpuKernel } from './webGpuKernel';
import { SOFTMAX_ROW, softmaxRowProgram } from './softmaxRow';

/** Invocations of the one workgroup that sums the loss and the correct predictions. */
const REDUCTION_SIZE = 256;

/**
 * Logits [N, C] and int32 labels [N] → [mean loss, accuracy] (float32 [2]) and dL/dlogits =
 * (softmax − onehot(label))/N [N, C], as the native kernel gives them (a label outside [0, C) adds
 * nothing to the loss and leaves its row's softmax/N). Two dispatches, as a program writes one output:
 * the gradient, one invocation per row; the two numbers, one workgroup over all rows (float32 sums
 * per invocation, then a tree: within float32 rounding of the float64 CPU sums at these sizes).
 */
export const softmaxCrossEntropyConfig = webGpuKernel<Record<string, never>>(fusedKernelNames.softmaxCrossEntropy, ({ inputs, backend }) => {
  const name = fusedKernelNames.softmaxCrossEntropy;
  const logits = float32Input(name, inputs, 'logits');
  const labels = inputs.labels;
  if (logits.shape.length !== 2 || !labels || labels.dtype !== 'int32' || labels.shape.length !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(`${name} takes float32 logits [N, C] and int32 labels [N]`);
  }
  const operands: tf.TensorInfo[] = [logits, labels];
  const gradient = backend.runWebGPUProgram(gradientProgram(logits.shape as [number, number]), operands, 'float32');
  const numbers = backend.runWebGPUProgram(numbersProgram(), operands, 'float32');
  return [numbers, gradient];
});

function gradientProgram(shape: [number, number]): WebGPUProgram {
  return softmaxRowProgram(
    'curvelabSoftmaxCrossEntropyGradient',
    'Labels',
    shape,
    `let label = Labels[row];
     for (var j = 0; j < c; j = j + 1) {
       result[row * c + j] = (softmaxAt(s, row, j) - select(0.0, 1.0, j == label)) / f32(n);
     }`,
  );
}

function numbersProgram(): WebGPUProgram {
  return {
    shaderKey: 'curvelabSoftmaxCrossEntropyNumbers',
    variableNames: ['Logits', 'Labels'],
    outputShape: [2],
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [REDUCTION_SIZE, 1, 1],
    getUserCode: () => `
      ${SOFTMAX_ROW}
      var<workgroup> lossSums : array<f32, ${REDUCTION_SIZE}>;
      var<workgroup> correctCounts : array<f32, ${REDUCTION_SIZE}>;
      fn main(index : i32) {
        let n = uniforms.logitsShape.x;
        let c = uniforms.logitsShape.y;
        let lane = i32(localIndex);
        var loss = 0.0;
        var correct = 0.0;
        for (var row = lane; row < n; row = row + ${REDUCTION_SIZE}) {
          let s = softmaxRow(row);
          let label = Labels[row];
          if (label >= 0 && label < c) {
            if (s.isNaN) {
              loss = uniforms.NAN;
            } else {
              loss = loss - (Logits[row * c + label] - s.max - log(s.sum));
            }
            correct = correct + select(0.0, 1.0, s.argMax == label);
          }
        }
        lossSums[lane] = loss;
        correctCounts[lane] = correct;
        workgroupBarrier();
        for (var stride = ${REDUCTION_SIZE / 2}; stride > 0; stride = stride / 2) {
          if (lane < stride) {
            lossSums[lane] = lossSums[lane] + lossSums[lane + stride];
            correctCounts[lane] = correctCounts[lane] + correctCounts[lane + stride];
          }
          workgroupBarrier();
        }
        if (lane == 0) {
          result[0] = lossSums[0] / f32(n);
          result[1] = correctCounts[0] / f32(n);
        }
      }`,
  };
}
