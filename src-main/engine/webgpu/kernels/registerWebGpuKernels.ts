import { tf } from '../../tf';
import { axpbyConfig } from './CurvelabAxpby';
import { axpbyScalarsConfig } from './CurvelabAxpbyScalars';
import { axpbySquareConfig } from './CurvelabAxpbySquare';
import { curveballStepSizesConfig } from './CurvelabCurveballStepSizes';
import { denseConfig } from './CurvelabDense';
import { divideByRootConfig } from './CurvelabDivideByRoot';
import { finiteOrZeroConfig } from './CurvelabFiniteOrZero';
import { heavyBallStepConfig } from './CurvelabHeavyBallStep';
import { innerProductsConfig } from './CurvelabInnerProducts';
import { maxPoolGradAtArgmaxConfig } from './CurvelabMaxPoolGradAtArgmax';
import { pseudoInverseSolve2x2Config } from './CurvelabPseudoInverseSolve2x2';
import { reluDerivativeTimesConfig } from './CurvelabReluDerivativeTimes';
import { softmaxCrossEntropyConfig } from './CurvelabSoftmaxCrossEntropy';
import { softmaxCrossEntropyHessianVectorConfig } from './CurvelabSoftmaxCrossEntropyHessianVector';
import { sumOverLeadingAxesConfig } from './CurvelabSumOverLeadingAxes';

/**
 * In WGSL of CurveLab's own, for the webgpu backend: the engine's fused kernels (ops/fusedKernels.ts);
 * axpby and the heavy-ball step with scalars on the device (ops/axpby.ts, ops/heavyBallStep.ts);
 * CurveBall's 2×2 solve, finite-or-zero and step sizes on the device (optim/pseudoInverse2x2OnDevice.ts,
 * optim/stepScalars.ts); the bias cotangent's sum (ops/sumOverLeadingAxes.ts) and max pooling's
 * gradient from its argmax (ops/pooling.ts).
 */
export const webGpuKernelConfigs: readonly tf.KernelConfig[] = [
  axpbyConfig,
  axpbyScalarsConfig,
  axpbySquareConfig,
  curveballStepSizesConfig,
  denseConfig,
  divideByRootConfig,
  finiteOrZeroConfig,
  heavyBallStepConfig,
  innerProductsConfig,
  maxPoolGradAtArgmaxConfig,
  pseudoInverseSolve2x2Config,
  reluDerivativeTimesConfig,
  softmaxCrossEntropyConfig,
  softmaxCrossEntropyHessianVectorConfig,
  sumOverLeadingAxesConfig,
];

/** Registers them (once: the registry outlives a backend that is removed and loaded again). */
export function registerWebGpuKernels(): void {
  for (const config of webGpuKernelConfigs) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}
