import type { ReferenceCell, ReferenceTable } from './studyData';

const optimizers = ['CurveBall-λ', 'CurveBall', 'SGD', 'Adam'] as const;

/** Train / validation error % per optimizer, in the order above. */
const rows: [architecture: string, dataset: string, errors: [number, number][]][] = [
  ['Basic', 'CIFAR-10', [[14.1, 19.9], [15.3, 19.3], [18.9, 21.1], [15.7, 19.7]]],
  ['Basic + BN', 'CIFAR-10', [[7.6, 16.3], [9.4, 15.8], [10.0, 16.1], [9.6, 16.1]]],
  ['ResNet-18', 'CIFAR-10', [[0.7, 15.3], [1.3, 16.1], [2.1, 12.8], [1.4, 14.0]]],
  ['VGG-f', 'ImageNet', [[10.3, 33.5], [12.7, 33.8], [19.2, 39.8], [13.2, 35.9]]],
];

/**
 * The CurveBall paper's table of train / validation errors (same hyper-parameters everywhere;
 * CurveBall-λ adapts the damping, CurveBall keeps it fixed), keyed by the built-in seed-table study's
 * architecture and optimizer labels.
 */
export const paperSeedTable: ReferenceTable = {
  source: 'Henriques, Ehrhardt, Albanie, Vedaldi: Small Steps and Giant Leaps (ICCV 2019)',
  cells: rows.flatMap(([architecture, dataset, errors]) =>
    errors.map(([trainError, valError], i): ReferenceCell => ({ architecture, optimizer: optimizers[i]!, dataset, trainError, valError })),
  ),
};
