import { describe, expect, it } from 'vitest';
import { builtInStudySpec, listBuiltInStudies } from './builtInStudies';
import { studyStructure, studyVerdict } from './checkStudy';
import { paperSeedTable } from './report/paperSeedTable';

const mnist = { inputShape: [28, 28, 1], outputSize: 10, trainSize: 8000, validationSize: 2000 };
const cifar = { inputShape: [32, 32, 3], outputSize: 10, trainSize: 50_000, validationSize: 10_000 };

const paperOptimizers = [
  { label: 'CurveBall-λ', name: 'curveball', options: { lambda: 1 } },
  { label: 'CurveBall', name: 'curveball', options: { lambda: 1, autoLambda: false } },
  { label: 'SGD', name: 'momentum', options: { lr: 0.01, momentum: 0.9 } },
  { label: 'Adam', name: 'adam', options: { lr: 0.001 } },
];

describe('built-in studies', () => {
  it('are listed with their three scales', () => {
    const studies = listBuiltInStudies();
    expect(studies.map((s) => s.name)).toEqual(['seed-table', 'random-architectures']);
    for (const study of studies) expect(study.scales.map((s) => s.scale)).toEqual(['tiny', 'small', 'paper']);
  });

  it('seed-table, tiny: the four networks (ResNet-18 and VGG-f narrow) × the paper\'s four optimizers on a subset', () => {
    expect(builtInStudySpec({ builtIn: 'seed-table' }, mnist)).toEqual({
      dataset: 'mnist',
      trainSize: 2000,
      valSize: 1000,
      architectures: [
        { label: 'Basic', preset: 'basic-cnn' },
        { label: 'Basic + BN', preset: 'basic-cnn-bn' },
        { label: 'ResNet-18', preset: 'resnet18', options: { width: '8' } },
        { label: 'VGG-f', preset: 'vgg-f', options: { width: '8', batchNorm: 'true', dropout: '0' } },
      ],
      optimizers: paperOptimizers,
      seeds: [1],
      budget: { epochs: 3 },
      batchSize: 32,
    });
  });

  it('seed-table labels are exactly the ones the paper\'s table is keyed by', () => {
    const spec = builtInStudySpec({ builtIn: 'seed-table', scale: 'paper' }, cifar);
    const architectures = spec.architectures.map((a) => ('label' in a ? a.label : null));
    const optimizers = spec.optimizers.map((o) => o.label);
    expect(new Set(paperSeedTable.cells.map((c) => c.architecture))).toEqual(new Set(architectures));
    expect(new Set(paperSeedTable.cells.map((c) => c.optimizer))).toEqual(new Set(optimizers));
  });

  it('seed-table, paper: full width, batch 128, the whole dataset, each network\'s epochs from the reference code', () => {
    const spec = builtInStudySpec({ builtIn: 'seed-table', scale: 'paper', dataset: '/data/cifar-10-batches-bin' }, cifar);
    expect(spec).toMatchObject({ dataset: '/data/cifar-10-batches-bin', batchSize: 128, budget: { epochs: 40 }, seeds: [1] });
    expect(spec).not.toHaveProperty('trainSize');
    expect(spec.architectures).toEqual([
      { label: 'Basic', preset: 'basic-cnn', budget: { epochs: 100 } },
      { label: 'Basic + BN', preset: 'basic-cnn-bn' },
      { label: 'ResNet-18', preset: 'resnet18', options: { width: '64' }, budget: { epochs: 120 } },
      { label: 'VGG-f', preset: 'vgg-f', options: { width: '64', batchNorm: 'true', dropout: '0' }, budget: { epochs: 20 } },
    ]);
  });

  it('random-architectures: count networks from archSeed 0 (default 50) × CurveBall-λ, SGD and Adam', () => {
    expect(builtInStudySpec({ builtIn: 'random-architectures' }, mnist)).toMatchObject({
      architectures: [{ random: { count: 50, seed: 0 } }],
      optimizers: [paperOptimizers[0], paperOptimizers[2], paperOptimizers[3]],
    });
    expect(builtInStudySpec({ builtIn: 'random-architectures', count: 20, scale: 'small' }, mnist)).toMatchObject({
      architectures: [{ random: { count: 20, seed: 0 } }],
      batchSize: 128,
      budget: { epochs: 5 },
      seeds: [1, 2],
      trainSize: 8000,
    });
  });

  it('a subset never asks for more than the dataset has', () => {
    expect(builtInStudySpec({ builtIn: 'seed-table' }, { trainSize: 500, validationSize: 100 })).toMatchObject({ trainSize: 500, valSize: 100 });
    expect(builtInStudySpec({ builtIn: 'seed-table', target: 'label', dataset: 'x.csv' }, {})).toMatchObject({ dataset: 'x.csv', target: 'label', trainSize: 2000 });
  });

  it.each(['tiny', 'small', 'paper'] as const)('every built-in at scale %s passes the study check on MNIST and CIFAR shapes', (scale) => {
    for (const facts of [mnist, cifar]) {
      const table = studyVerdict(studyStructure(builtInStudySpec({ builtIn: 'seed-table', scale }, facts)), facts);
      expect(table.issues).toEqual([]);
      expect(table.runs).toHaveLength(scale === 'small' ? 32 : 16);
      const random = studyVerdict(studyStructure(builtInStudySpec({ builtIn: 'random-architectures', scale, count: 7 }, facts)), facts);
      expect(random.issues).toEqual([]);
      expect(random.runs).toHaveLength(7 * 3 * (scale === 'small' ? 2 : 1));
    }
  });
});
