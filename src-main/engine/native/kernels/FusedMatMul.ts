import { fusedKernelNames } from '../../ops';
import { tf } from '../../tf';
import { loadNativeAddon, type NativeAddon } from '../nativeAddon';
import { fusedKernel, nativeKernel, type NativeKernelArgs } from '../nativeKernel';
import { broadcastsWithoutGrowing, float32Values, sizeOf } from '../tensorData';
import { planMatMul, runMatMul } from './BatchMatMul';
import { addBiasAndActivate, nativeActivation } from './fusedEpilogue';

/**
 * tf.fused.matMul: the product, then the bias (a row, or the product's shape) and a ReLU or no activation, all
 * in the product's own array. Other activations go to TF.js's kernel.
 */
export const fusedMatMulConfig = nativeKernel(tf._FusedMatMul, (args: NativeKernelArgs<tf._FusedMatMulAttrs>, addon) => runFusedMatMul(args, addon));

/**
 * The fused `dense` kernel (ops/fusedKernels.ts): the same work as _FusedMatMul on 2-D operands, which
 * the op hands over as they are, without the reshapes and gradient bookkeeping of tf.fused.matMul; with
 * an input reluOutput y, the result is then multiplied by step(y) in place.
 */
export const denseConfig = fusedKernel<tf._FusedMatMulAttrs>(fusedKernelNames.dense, (args) => {
  const addon = loadNativeAddon();
  const result = runFusedMatMul(args, addon);
  const reluOutput = args.inputs.reluOutput;
  const mask = reluOutput ? float32Values(args.backend, reluOutput) : null;
  if (!result || (reluOutput && (!mask || mask.length !== sizeOf(result.shape)))) {
    throw new Error(`${fusedKernelNames.dense} takes float32 matrices, a bias that broadcasts to the product, linear or relu, and a ReLU output of the product's shape`);
  }
  if (mask) {
    const out = float32Values(args.backend, result)!;
    addon.reluDerivativeTimes(mask, out, out);
  }
  return result;
});

function runFusedMatMul({ inputs, attrs, backend }: NativeKernelArgs<tf._FusedMatMulAttrs>, addon: NativeAddon): tf.TensorInfo | null {
  const { a, b, bias, preluActivationWeights } = inputs;
  const activation = nativeActivation(attrs.activation, preluActivationWeights);
  if (!activation) return null;
  const aValues = float32Values(backend, a);
  const bValues = float32Values(backend, b);
  const biasValues = bias ? float32Values(backend, bias) : null;
  if (!a || !b || !aValues || !bValues || (bias && !biasValues)) return null;
  const plan = planMatMul(a.shape, b.shape, attrs.transposeA, attrs.transposeB);
  if (!plan) return null;
  if (bias && !broadcastsWithoutGrowing(bias.shape, plan.outShape)) return null;
  const out = runMatMul(addon, backend, aValues, bValues, plan, attrs.transposeA, attrs.transposeB);
  addBiasAndActivate(addon, out, plan.outShape, bias && biasValues ? { values: biasValues, shape: bias.shape } : null, activation);
  return backend.makeTensorInfo(plan.outShape, 'float32', out);
}
