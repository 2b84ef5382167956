import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { fusedKernelNames } from '../../ops';
import { tf } from '../../tf';
import { flat, pairsOf, webGpuKernel } from './webGpuKernel';

/** Invocations per pair: each sums a strided share of the pair, then the workgroup adds the shares as a tree. */
const WORKGROUP_SIZE = 256;

/**
 * Inputs a0, b0, a1, b1, …: ⟨a_i, b_i⟩ of each pair into one float32 tensor [pairs]. One workgroup per
 * pair; pairs go together into one dispatch as long as their distinct tensors fit the device's storage
 * bindings per shader stage (less the output's), each dispatch writing its pairs' entries of the one
 * output. A tensor in several pairs (z in ⟨z, z⟩ and ⟨dz, z⟩) is bound once.
 *
 * Precision: float32 throughout (the CPU kernels accumulate in float64). Each invocation adds about
 * size/256 products in sequence, then 8 tree levels: relative error of order (size/256 + 8)·2⁻²⁴ of
 * Σ|a_i·b_i|, under 1e-4 for the tensors of the models here.
 */
export const innerProductsConfig = webGpuKernel<Record<string, never>>(fusedKernelNames.innerProducts, ({ inputs, backend }) => {
  const pairs = pairsOf(fusedKernelNames.innerProducts, inputs);
  const count = pairs.length;
  const output = backend.makeTensorInfo([count], 'float32');
  const maxInputs = backend.device.limits.maxStorageBuffersPerShaderStage - 1;
  for (const group of groupPairs(pairs, maxInputs)) {
    backend.runWebGPUProgram(innerProductsProgram(count, group.operandIndices), group.tensors.map(flat), 'float32', [{ type: 'int32', data: [group.first] }], output);
  }
  return output;
});

/** Consecutive pairs first..first+k−1 and the distinct tensors they read (operandIndices: each pair's two, into tensors). */
interface PairGroup {
  first: number;
  tensors: tf.TensorInfo[];
  operandIndices: [number, number][];
}

/**
 * Consecutive runs of pairs with at most `maxTensors` distinct tensors each. Consecutive, so that each
 * dispatch writes one stretch of the output from an offset: CurveBall lists its products parameter by
 * parameter within each product, and neighbouring pairs share their tensors often enough.
 */
function groupPairs(pairs: [tf.TensorInfo, tf.TensorInfo][], maxTensors: number): PairGroup[] {
  const groups: PairGroup[] = [];
  let group: PairGroup | null = null;
  pairs.forEach((pair, i) => {
    const missing = (g: PairGroup) => new Set(pair.filter((t) => !g.tensors.some((u) => u.dataId === t.dataId)).map((t) => t.dataId)).size;
    if (!group || group.tensors.length + missing(group) > maxTensors) {
      group = { first: i, tensors: [], operandIndices: [] };
      groups.push(group);
    }
    const g: PairGroup = group;
    const indexOf = (t: tf.TensorInfo) => {
      const found = g.tensors.findIndex((u) => u.dataId === t.dataId);
      return found >= 0 ? found : g.tensors.push(t) - 1;
    };
    g.operandIndices.push([indexOf(pair[0]), indexOf(pair[1])]);
  });
  return groups;
}

function innerProductsProgram(outputSize: number, operandIndices: [number, number][]): WebGPUProgram {
  const tensorCount = Math.max(...operandIndices.flat()) + 1;
  const variableNames = Array.from({ length: tensorCount }, (_, i) => `X${i}`);
  const cases = operandIndices
    .map(
      ([a, b], pair) => `
        case ${pair}: {
          for (var i = lane; i < uniforms.x${a}Shape; i = i + ${WORKGROUP_SIZE}) {
            sum = sum + X${a}[i] * X${b}[i];
          }
        }`,
    )
    .join('');
  return {
    shaderKey: `curvelabInnerProducts_${operandIndices.map((p) => p.join('.')).join('_')}`,
    variableNames,
    outputShape: [outputSize],
    dispatchLayout: { x: [0] },
    dispatch: [operandIndices.length, 1, 1],
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    uniforms: 'first : i32,',
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${WORKGROUP_SIZE}>;
      fn main(index : i32) {
        let pair = i32(workgroupId.x);
        let lane = i32(localIndex);
        var sum = 0.0;
        switch pair {
          ${cases}
          default: {}
        }
        partial[lane] = sum;
        workgroupBarrier();
        for (var stride = ${WORKGROUP_SIZE / 2}; stride > 0; stride = stride / 2) {
          if (lane < stride) {
            partial[lane] = partial[lane] + partial[lane + stride];
          }
          workgroupBarrier();
        }
        if (lane == 0) {
          result[uniforms.first + pair] = partial[0];
        }
      }`,
  };
}
