/**
 * The engine's ops layer: what layers, losses and optimizers call besides TF.js's public ops. Two kinds,
 * both run through TF.js's kernel registry so that a backend may replace them:
 * - backend kernels the reverse (and max-pool forward-mode) rules call directly (convolution and pooling
 *   gradients, max-pool argmax);
 * - fused operations (fusedKernels.ts) that `cpu-blas` runs as one kernel each and every other backend
 *   runs as TF.js's own ops, with the same result up to float32 rounding.
 * Plus TensorFlow's sliding-window arithmetic, which the pooling gradients and the layers' shapes share.
 */
export { axpbyEach, axpbyScalarsKernelName } from './axpby';
export { conv2dBackpropFilter, conv2dBackpropInput } from './convolutionGradients';
export { denseProduct, type DenseProductOptions } from './denseProduct';
export { fusedKernelNames, hasFusedKernel, type AxpbyAttrs } from './fusedKernels';
export { heavyBallStepEach, heavyBallStepKernelName } from './heavyBallStep';
export { pairInnerProducts } from './pairInnerProducts';
export { avgPoolGrad, maxPoolGrad, maxPoolGradAtArgmaxKernelName, maxPoolWithArgmax, type MaxPoolGradAtArgmaxAttrs } from './pooling';
export { reluDerivativeTimes } from './reluDerivative';
export { axpbySquareEach, divideByRootEach, type AxpbySquareAttrs, type DivideByRootAttrs } from './rootOfSquares';
export { windowOutputLength } from './slidingWindow';
export { sumOverLeadingAxes, sumOverLeadingAxesKernelName } from './sumOverLeadingAxes';
