import { fusedKernelNames } from '../../ops';
import { runMultiOutputProgram } from './multiOutputProgram';
import { softmaxRowFunctions } from './softmaxRow';
import { float32Input, webGpuKernel } from './webGpuKernel';

/** Invocations of the one workgroup: each takes every 256th row, then they sum as a tree. */
const WORKGROUP_SIZE = 256;

/**
 * Logits [N, C] and int32 labels [N] → [mean loss, accuracy] (float32 [2]) and dL/dlogits =
 * (softmax − onehot(label))/N [N, C], as the native kernel gives them (a label outside [0, C) adds
 * nothing to the loss and leaves its row's softmax/N). One dispatch writing both (multiOutputProgram.ts),
 * each row's softmax computed once: one workgroup, each invocation writing its rows' gradients and
 * summing their loss and correct predictions (float32 sums per invocation, then a tree: within float32
 * rounding of the float64 CPU sums at these sizes).
 */
export const softmaxCrossEntropyConfig = webGpuKernel<Record<string, never>>(fusedKernelNames.softmaxCrossEntropy, ({ inputs, backend }) => {
  const name = fusedKernelNames.softmaxCrossEntropy;
  const logits = float32Input(name, inputs, 'logits');
  const labels = inputs.labels;
  if (logits.shape.length !== 2 || !labels || labels.dtype !== 'int32' || labels.shape.length !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new Error(`${name} takes float32 logits [N, C] and int32 labels [N]`);
  }
  const [n, c] = logits.shape;
  return runMultiOutputProgram(backend, {
    key: 'softmaxCrossEntropy',
    inputs: [
      { name: 'Logits', tensor: logits },
      { name: 'Labels', tensor: labels },
    ],
    outputs: [
      { name: 'Numbers', shape: [2] },
      { name: 'Gradient', shape: [n, c] },
    ],
    uniforms: [
      { name: 'n', type: 'i32', value: n },
      { name: 'c', type: 'i32', value: c },
      { name: 'nan', type: 'f32', value: NaN },
    ],
    workgroupSize: WORKGROUP_SIZE,
    workgroups: 1,
    functions: `
      ${softmaxRowFunctions('uniforms.c', 'uniforms.nan')}
      var<workgroup> lossSums : array<f32, ${WORKGROUP_SIZE}>;
      var<workgroup> correctCounts : array<f32, ${WORKGROUP_SIZE}>;`,
    main: `
      let n = uniforms.n;
      let c = uniforms.c;
      let lane = index;
      var loss = 0.0;
      var correct = 0.0;
      for (var row = lane; row < n; row = row + ${WORKGROUP_SIZE}) {
        let s = softmaxRow(row);
        let label = Labels[row];
        for (var j = 0; j < c; j = j + 1) {
          Gradient[row * c + j] = (softmaxAt(s, row, j) - select(0.0, 1.0, j == label)) / f32(n);
        }
        if (label >= 0 && label < c) {
          if (s.isNaN) {
            loss = uniforms.nan;
          } else {
            loss = loss - (Logits[row * c + label] - s.max - log(s.sum));
          }
          correct = correct + select(0.0, 1.0, s.argMax == label);
        }
      }
      lossSums[lane] = loss;
      correctCounts[lane] = correct;
      workgroupBarrier();
      for (var stride = ${WORKGROUP_SIZE / 2}; stride > 0; stride = stride / 2) {
        if (lane < stride) {
          lossSums[lane] = lossSums[lane] + lossSums[lane + stride];
          correctCounts[lane] = correctCounts[lane] + correctCounts[lane + stride];
        }
        workgroupBarrier();
      }
      if (lane == 0) {
        Numbers[0] = lossSums[0] / f32(n);
        Numbers[1] = correctCounts[0] / f32(n);
      }`,
  });
});
