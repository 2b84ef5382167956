import type { BenchmarkCase } from './benchmarkCase';

/** The cases `curvelab bench` runs with no arguments (issue 3's standard suite), for each optimizer. */
export const standardSuiteModels: Omit<BenchmarkCase, 'optimizer' | 'optimizerOptions' | 'steps' | 'maxSeconds'>[] = [
  { arch: 'mlp', archOptions: { widths: '512,512' }, batchSize: 128, inputShape: [28, 28, 1], classes: 10 },
  { arch: 'small-cnn', archOptions: {}, batchSize: 64, inputShape: [28, 28, 1], classes: 10 },
  { arch: 'basic-cnn-bn', archOptions: {}, batchSize: 128, inputShape: [32, 32, 3], classes: 10 },
];

export const standardSuiteOptimizers = ['sgd', 'curveball'];
