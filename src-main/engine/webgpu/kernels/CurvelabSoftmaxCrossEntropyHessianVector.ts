import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { fusedKernelNames } from '../../ops';
import { tf } from '../../tf';
import { float32Input, webGpuKernel } from './webGpuKernel';
import { softmaxRowProgram } from './softmaxRow';

/**
 * Logits [N, C] and v [N, C] → H_L·v = (p⊙v − p·⟨p, v⟩)/N per row, p = softmax(logits), as the native
 * kernel gives it: one dispatch, one invocation per row.
 */
export const softmaxCrossEntropyHessianVectorConfig = webGpuKernel<Record<string, never>>(fusedKernelNames.softmaxCrossEntropyHessianVector, ({ inputs, backend }) => {
  const name = fusedKernelNames.softmaxCrossEntropyHessianVector;
  const logits = float32Input(name, inputs, 'logits');
  const v = float32Input(name, inputs, 'v');
  if (logits.shape.length !== 2 || !tf.util.arraysEqual(v.shape, logits.shape)) {
    throw new Error(`${name} takes float32 logits [N, C] and v of the same shape`);
  }
  return backend.runWebGPUProgram(hessianVectorProgram(logits.shape as [number, number]), [logits, v], 'float32');
});

function hessianVectorProgram(shape: [number, number]): WebGPUProgram {
  return softmaxRowProgram(
    'curvelabSoftmaxCrossEntropyHessianVector',
    'V',
    shape,
    `var pv = 0.0;
     for (var j = 0; j < c; j = j + 1) {
       pv = pv + softmaxAt(s, row, j) * V[row * c + j];
     }
     for (var j = 0; j < c; j = j + 1) {
       result[row * c + j] = softmaxAt(s, row, j) * (V[row * c + j] - pv) / f32(n);
     }`,
  );
}
