import { standardSuiteModels } from './standardSuite';

/**
 * The models `curvelab bench --suite gpu` (`npm run bench:gpu`) times: the standard suite and ResNet-18
 * (width 64) on 32×32×3 batch 128, the sizes PyTorch is timed at beside them (issue 14).
 */
export const gpuSuiteModels: typeof standardSuiteModels = [
  ...standardSuiteModels,
  { arch: 'resnet18', archOptions: {}, batchSize: 128, inputShape: [32, 32, 3], classes: 10 },
];
