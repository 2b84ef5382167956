import type { tf } from '../tf';
import { avgPoolConfig } from './kernels/AvgPool';
import { avgPoolGradConfig } from './kernels/AvgPoolGrad';
import { batchMatMulConfig } from './kernels/BatchMatMul';
import { addConfig, multiplyConfig, realDivConfig, subConfig } from './kernels/binaryKernels';
import { conv2dConfig } from './kernels/Conv2D';
import { conv2dBackpropFilterConfig } from './kernels/Conv2DBackpropFilter';
import { conv2dBackpropInputConfig } from './kernels/Conv2DBackpropInput';
import { fusedConv2dConfig } from './kernels/FusedConv2D';
import { denseConfig, fusedMatMulConfig } from './kernels/FusedMatMul';
import { axpbyConfig, axpbySquareConfig, divideByRootConfig, innerProductsConfig, reluDerivativeTimesConfig } from './kernels/fusedElementwise';
import { gatherV2Config } from './kernels/GatherV2';
import { maxPoolConfig } from './kernels/MaxPool';
import { maxPoolGradConfig } from './kernels/MaxPoolGrad';
import { maxPoolWithArgmaxConfig } from './kernels/MaxPoolWithArgmax';
import { meanConfig } from './kernels/Mean';
import { reluConfig } from './kernels/Relu';
import { sliceConfig } from './kernels/Slice';
import { softmaxCrossEntropyConfig, softmaxCrossEntropyHessianVectorConfig } from './kernels/SoftmaxCrossEntropy';
import { stepConfig } from './kernels/Step';
import { sumConfig } from './kernels/Sum';

/**
 * The kernels `cpu-blas` runs natively; every other kernel is TF.js's `cpu` one. The list is what a
 * profile of training steps (dense and conv nets, SGD and CurveBall) showed taking the time, and the
 * engine's fused kernels (ops/fusedKernels.ts), which only this backend has.
 */
export const nativeKernelConfigs: readonly tf.KernelConfig[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
  conv2dConfig,
  fusedConv2dConfig,
  conv2dBackpropInputConfig,
  conv2dBackpropFilterConfig,
  maxPoolConfig,
  maxPoolWithArgmaxConfig,
  maxPoolGradConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  addConfig,
  subConfig,
  multiplyConfig,
  realDivConfig,
  reluConfig,
  stepConfig,
  sumConfig,
  meanConfig,
  gatherV2Config,
  sliceConfig,
  axpbyConfig,
  axpbySquareConfig,
  divideByRootConfig,
  denseConfig,
  innerProductsConfig,
  reluDerivativeTimesConfig,
  softmaxCrossEntropyConfig,
  softmaxCrossEntropyHessianVectorConfig,
];
