import { describe, expect, it } from 'vitest';
import type { StudySpec } from '../../shared/studySpec';
import { studyStructure, studyVerdict } from './checkStudy';

/** MNIST as the registry describes it: 28×28 grey images, ten classes, 8,000 / 2,000 examples. */
const mnist = { inputShape: [28, 28, 1], outputSize: 10, trainSize: 8000, validationSize: 2000 };

const base: StudySpec = {
  dataset: 'mnist',
  architectures: [{ preset: 'mlp', options: { widths: '8' } }],
  optimizers: [{ name: 'curveball' }],
  seeds: [1],
  budget: { steps: 5 },
  batchSize: 16,
};

function verdict(spec: unknown, facts: Parameters<typeof studyVerdict>[1] = mnist) {
  return studyVerdict(studyStructure(spec), facts);
}

describe('a study expands into paired runs', () => {
  const spec: StudySpec = {
    ...base,
    trainSize: 100,
    valSize: 50,
    architectures: [{ preset: 'mlp', options: { widths: '8' } }, { random: { count: 2, seed: 5 } }],
    optimizers: [{ name: 'curveball' }, { label: 'SGD', name: 'momentum', options: { momentum: 0.9 }, lrGrid: [0.1, 0.01] }],
    seeds: [3, 4],
  };

  it('row by row: architecture, then optimizer entry, lr-grid value, seed; labels as the table shows them', () => {
    const { runs, issues, runCount } = verdict(spec);
    expect(issues).toEqual([]);
    expect(runCount).toBe(18);
    const cells = runs.map((r) => r.cell);
    const rowOf = (architecture: string) => [
      { architecture, optimizer: 'curveball', lr: null, seed: 3 },
      { architecture, optimizer: 'curveball', lr: null, seed: 4 },
      { architecture, optimizer: 'SGD', lr: 0.1, seed: 3 },
      { architecture, optimizer: 'SGD', lr: 0.1, seed: 4 },
      { architecture, optimizer: 'SGD', lr: 0.01, seed: 3 },
      { architecture, optimizer: 'SGD', lr: 0.01, seed: 4 },
    ];
    expect(cells).toEqual([...rowOf('mlp (widths=8)'), ...rowOf('random #5'), ...rowOf('random #6')]);
  });

  it('each run spec has the study data, budget and batch size, the row architecture and its lr set', () => {
    const { runs } = verdict(spec);
    expect(runs[0]!.spec).toEqual({
      dataset: 'mnist', arch: 'mlp', archOptions: { widths: '8' }, optimizer: 'curveball', optimizerOptions: {},
      steps: 5, batchSize: 16, shuffle: true, init: 'default', seed: 3, trainSize: 100, valSize: 50,
    });
    expect(runs[4]!.spec).toMatchObject({ optimizer: 'momentum', optimizerOptions: { momentum: 0.9, lr: 0.01 }, seed: 3 });
    // Network k of a random entry is the random preset with archSeed seed + k.
    expect(runs.slice(6).map((r) => [r.spec.arch, r.spec.archOptions])).toEqual([
      ...Array(6).fill(['random', { archSeed: '5' }]),
      ...Array(6).fill(['random', { archSeed: '6' }]),
    ]);
  });

  it('runs of one seed differ only in the optimizer and its options (same weights, batches and subsets)', () => {
    const { runs } = verdict(spec);
    const withoutOptimizer = runs.map(({ spec: { optimizer: _o, optimizerOptions: _p, ...rest } }) => rest);
    for (const row of [0, 1, 2]) {
      const ofRow = withoutOptimizer.slice(row * 6, row * 6 + 6);
      expect(ofRow.filter((r) => r.seed === 3).every((r) => JSON.stringify(r) === JSON.stringify(ofRow[0]))).toBe(true);
      expect(ofRow.filter((r) => r.seed === 4).every((r) => JSON.stringify(r) === JSON.stringify(ofRow[1]))).toBe(true);
    }
  });

  it("the run fields a spec sets go into each run's spec: augment, shuffle, init, a divergence factor or 'off'", () => {
    const fields = { augment: false, shuffle: false, init: 'he', divergenceFactor: 'off' } as const;
    const { runs, issues } = verdict({ ...base, ...fields, optimizers: [{ name: 'curveball' }, { name: 'sgd' }] });
    expect(issues).toEqual([]);
    expect(runs.map((r) => r.spec)).toEqual([expect.objectContaining(fields), expect.objectContaining(fields)]);
    expect(verdict({ ...base, divergenceFactor: 50 }).runs[0]!.spec).toMatchObject({ divergenceFactor: 50, shuffle: true, init: 'default' });
  });

  it('an architecture with its own budget trains for it; the others for the study budget', () => {
    const { runs } = verdict({ ...base, budget: { epochs: 2 }, architectures: [{ preset: 'linear', budget: { steps: 7 } }, { preset: 'mlp' }] });
    expect(runs.map((r) => [r.spec.arch, r.spec.steps, r.spec.epochs])).toEqual([
      ['linear', 7, undefined],
      ['mlp', undefined, 2],
    ]);
  });
});

describe('a study is checked once, every issue at its field in the spec', () => {
  it('structure: the schema names each field, ranges and labels included', () => {
    const { issues, runs, runCount } = verdict({
      ...base,
      architectures: [{ preset: 'mlp' }, { label: 'mlp', spec: { layers: [] } }, { random: { count: 0, seed: 1 } }],
      optimizers: [{ name: 'sgd', label: 'a' }, { name: 'adam', label: 'a', lrGrid: [0.1, 0.1] }],
      seeds: [1, 1],
      budget: { epochs: 0 },
      batchSize: 'half',
      extra: true,
    });
    expect(runs).toEqual([]);
    expect(runCount).toBe(0);
    expect(issues.map((i) => i.field).sort()).toEqual(
      [
        'extra', 'architectures.2.random.count', 'batchSize', 'budget.epochs', 'optimizers.1.lrGrid.1', 'seeds.1',
        // The entries without structural issues are still checked against the data: a spec without layers.
        'architectures.1.spec.layers',
      ].sort(),
    );
    expect(issues.find((i) => i.field === 'extra')!.message).toMatch(/extra/);
  });

  it('the run fields are checked as a run request checks them, each at its field', () => {
    const { issues } = verdict({ ...base, init: 'kaiming', shuffle: 'yes', divergenceFactor: 1 });
    expect(issues).toEqual([
      { field: 'shuffle', message: expect.stringMatching(/boolean/) },
      { field: 'init', message: 'expected "default", "zeros" or "he"' },
      { field: 'divergenceFactor', message: 'expected a number above 1, at most 1,000,000,000,000, or "off"' },
    ]);
  });

  it('labels must be unique: a preset named like another row, a random network named like a preset row, two optimizers alike', () => {
    const { issues } = verdict({
      ...base,
      architectures: [{ preset: 'mlp' }, { label: 'mlp', preset: 'linear' }, { label: 'random #2', preset: 'linear' }, { random: { count: 3, seed: 1 } }],
      optimizers: [{ name: 'sgd' }, { name: 'sgd', options: { lr: 0.1 } }],
    });
    expect(issues.map((i) => i.field)).toEqual(['architectures.1.label', 'architectures.3.random', 'optimizers.1.label']);
  });

  it('content: each run through the one check of runs, its issues placed back in the study and given once', () => {
    const { issues, runs } = verdict(
      {
        ...base,
        trainSize: 9000,
        architectures: [
          { preset: 'mlp', options: { width: '8' } },
          { label: 'bad', spec: { layers: [{ type: 'dense', units: -3 }] } },
          { random: { count: 3, seed: 0 } },
          { preset: 'nope' },
          { label: 'long', preset: 'linear', budget: { steps: 5 } },
        ],
        optimizers: [
          { name: 'curveball', lrGrid: [0.1] },
          { name: 'sgd', options: { lr: -1 } },
          { name: 'adam', options: { lr: 0.1 }, lrGrid: [0.01] },
          { name: 'frobnicate' },
        ],
      },
      mnist,
    );
    expect(runs).toEqual([]);
    const fields = issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'trainSize',
        'architectures.0.options.width',
        'architectures.1.spec.layers.0.units',
        'architectures.3.preset',
        'optimizers.0',
        'optimizers.1.options.lr',
        'optimizers.2.lrGrid',
        'optimizers.3.name',
      ]),
    );
    // Every row repeats the optimizer checks: each issue is reported once.
    expect(new Set(issues.map((i) => `${i.field}: ${i.message}`)).size).toBe(issues.length);
    expect(issues.find((i) => i.field === 'trainSize')!.message).toMatch(/at most 8000/);
    expect(issues.find((i) => i.field === 'optimizers.0')!.message).toMatch(/lr.*momentum/);
  });

  it('the architectures against the data: a preset that needs images on flat data, a dataset that does not load', () => {
    const flat = { inputShape: [4], outputSize: 2, trainSize: 30, validationSize: 10 };
    expect(verdict({ ...base, architectures: [{ preset: 'basic-cnn' }, { random: { count: 2, seed: 0 } }] }, flat).issues.map((i) => i.field)).toEqual([
      'architectures.0.preset',
    ]);
    expect(verdict(base, { refusal: 'no such file: x.csv' }).issues).toEqual([{ field: 'dataset', message: 'no such file: x.csv' }]);
  });

  it('a spec with structural issues still has its sound parts checked', () => {
    const { issues } = verdict({ ...base, seeds: [], optimizers: [{ name: 'sgd', options: { lr: -1 } }, {}] });
    expect(issues.map((i) => i.field).sort()).toEqual(['optimizers.0.options.lr', 'optimizers.1.name', 'seeds'].sort());
  });
});
