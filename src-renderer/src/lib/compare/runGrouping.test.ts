import { describe, expect, test } from 'vitest';
import type { RunSpec } from '$api/labApi';
import { makeRun, makeSpec } from '../lab/fakeLabClient.testkit';
import { paletteColor } from './palette';
import { groupByChoices, groupByKeys, groupByValue, groupKeyChoices, parseGroupBy, plotEntries, runLabel, stableJson, varyingSpecFields } from './runGrouping';

const runs = [
  makeRun({ id: 4, spec: makeSpec({ optimizer: 'curveball', seed: 0 }) }),
  makeRun({ id: 1, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr: 0.1 }, seed: 0 }) }),
  makeRun({ id: 2, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr: 0.1 }, seed: 1 }) }),
  makeRun({ id: 3, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr: 0.01, nesterov: true }, seed: 0 }) }),
];

const summary = (entries: ReturnType<typeof plotEntries>) => entries.map((e) => [e.label, e.runIds]);

describe('plotEntries', () => {
  test('none: one entry per run, ordered by id, coloured by position, labelled with optimizer, options and seed', () => {
    const entries = plotEntries(runs, { kind: 'none' });
    expect(summary(entries)).toEqual([
      ['#1 sgd lr=0.1 seed 0', [1]],
      ['#2 sgd lr=0.1 seed 1', [2]],
      ['#3 sgd lr=0.01 nesterov=true seed 0', [3]],
      ['#4 curveball seed 0', [4]],
    ]);
    expect(entries.map((e) => e.color)).toEqual([0, 1, 2, 3].map((position) => paletteColor(position)));
    expect(entries.every((e) => !e.grouped && e.key === `run:${e.runIds[0]}`)).toBe(true);
  });

  test('optimizer: all runs of an optimizer together', () => {
    const entries = plotEntries(runs, { kind: 'optimizer' });
    expect(summary(entries)).toEqual([
      ['sgd', [1, 2, 3]],
      ['curveball', [4]],
    ]);
    expect(entries[0].grouped).toBe(true);
    expect(entries.map((e) => e.color)).toEqual([paletteColor(0), paletteColor(1)]);
  });

  test('config: runs that differ only in the seed', () => {
    expect(summary(plotEntries(runs, { kind: 'config' }))).toEqual([
      ['sgd lr=0.1', [1, 2]],
      ['sgd lr=0.01 nesterov=true', [3]],
      ['curveball', [4]],
    ]);
  });

  test('option: optimizer plus one option value; unset options group as default', () => {
    expect(summary(plotEntries(runs, { kind: 'option', option: 'lr' }))).toEqual([
      ['sgd lr=0.1', [1, 2]],
      ['sgd lr=0.01', [3]],
      ['curveball lr=default', [4]],
    ]);
  });

  test('a group keeps its key and colour when the selection around it changes', () => {
    const before = plotEntries(runs, { kind: 'config' }).find((e) => e.label === 'sgd lr=0.1');
    const after = plotEntries(runs.slice(1, 3), { kind: 'config' })[0];
    expect(after.key).toBe(before?.key);
    expect(after.color).toBe(before?.color);
  });

  test('spec fields that vary among the runs appear in labels and split config groups', () => {
    const mixed = [
      makeRun({ id: 1, spec: makeSpec({ optimizer: 'adam', batchSize: 32, seed: 0 }) }),
      makeRun({ id: 2, spec: makeSpec({ optimizer: 'adam', batchSize: 128, seed: 0, dataset: '/data/fashion/train-images-idx3-ubyte' }) }),
    ];
    expect(varyingSpecFields(mixed)).toEqual(['dataset', 'batchSize']);
    expect(runLabel(mixed[1], varyingSpecFields(mixed))).toBe('#2 adam dataset=train-images-idx3-ubyte batchSize=128 seed 0');
    expect(plotEntries(mixed, { kind: 'config' })).toHaveLength(2);
    expect(plotEntries(mixed, { kind: 'optimizer' })).toHaveLength(1);
  });
  test('runs that differ only in their data subset, augmentation, divergence factor or initialisation get labels that tell them apart', () => {
    const variants: Partial<RunSpec>[] = [{}, { trainSize: 1000 }, { valSize: 500 }, { augment: true }, { augment: false }, { divergenceFactor: 50 }, { divergenceFactor: 'off' }, { init: 'he' }];
    const subsets = variants.map((overrides, i) => makeRun({ id: i + 1, spec: makeSpec({ optimizer: 'adam', ...overrides }) }));
    expect(varyingSpecFields(subsets)).toEqual(['init', 'trainSize', 'valSize', 'augment', 'divergenceFactor']);
    expect(summary(plotEntries(subsets, { kind: 'none' }))).toEqual([
      ['#1 adam init=default seed 0', [1]],
      ['#2 adam init=default trainSize=1000 seed 0', [2]],
      ['#3 adam init=default valSize=500 seed 0', [3]],
      ['#4 adam init=default augment=true seed 0', [4]],
      ['#5 adam init=default augment=false seed 0', [5]],
      ['#6 adam init=default divergenceFactor=50 seed 0', [6]],
      ['#7 adam init=default divergenceFactor=off seed 0', [7]],
      ['#8 adam init=he seed 0', [8]],
    ]);
    // Each is a configuration of its own, not a seed of another.
    expect(plotEntries(subsets, { kind: 'config' })).toHaveLength(variants.length);
  });
});

describe('labels leave out what a run does not set', () => {
  // A run of 30 steps beside one of 2 epochs: each sets one of the two, the other is unset.
  const budgets = [
    makeRun({ id: 1, spec: makeSpec({ optimizer: 'curveball', steps: 30, seed: 0 }) }),
    makeRun({ id: 2, spec: makeSpec({ optimizer: 'curveball', epochs: 2, steps: undefined, seed: 0 }) }),
  ];

  test('a run label names only the budget the run has', () => {
    expect(summary(plotEntries(budgets, { kind: 'none' }))).toEqual([
      ['#1 curveball steps=30 seed 0', [1]],
      ['#2 curveball epochs=2 seed 0', [2]],
    ]);
  });

  test('a group label by keys names only the keys the group sets, and says when it sets none', () => {
    expect(summary(plotEntries(budgets, { kind: 'keys', keys: ['epochs', 'steps'] }))).toEqual([
      ['steps=30', [1]],
      ['epochs=2', [2]],
    ]);
    expect(summary(plotEntries(budgets, { kind: 'keys', keys: ['epochs'] }))).toEqual([
      ['epochs unset', [1]],
      ['epochs=2', [2]],
    ]);
  });
});

describe('group-by choices and values', () => {
  test('the fixed groupings, then one per option any run sets, sorted', () => {
    expect(groupByChoices(runs).map((c) => c.value)).toEqual(['none', 'optimizer', 'config', 'option:lr', 'option:nesterov']);
  });

  test('values round-trip; anything else is null', () => {
    for (const g of [{ kind: 'none' }, { kind: 'optimizer' }, { kind: 'config' }, { kind: 'option', option: 'lr' }] as const) {
      expect(parseGroupBy(groupByValue(g))).toEqual(g);
    }
    expect(parseGroupBy('option:')).toBeNull();
    expect(parseGroupBy('seed')).toBeNull();
  });

  test('stableJson ignores key order', () => {
    expect(stableJson({ b: 1, a: [1, { d: 2, c: true }] })).toBe('{"a":[1,{"c":true,"d":2}],"b":1}');
    expect(stableJson({ a: 1, b: 2 })).toBe(stableJson({ b: 2, a: 1 }));
  });
});

describe('grouping by any config keys', () => {
  // Two architectures × two optimizers × two seeds.
  const grid = [1, 2, 3, 4, 5, 6, 7, 8].map((id) => {
    const i = id - 1;
    return makeRun({ id, spec: makeSpec({ arch: i & 4 ? 'basic-cnn' : 'mlp', optimizer: i & 2 ? 'curveball' : 'sgd', optimizerOptions: i & 2 ? {} : { lr: 0.1 }, seed: i & 1 }) });
  });

  test('by architecture: one group per arch, labelled key=value, mixing the optimizers (and their lr) it pools', () => {
    const entries = plotEntries(grid, { kind: 'keys', keys: ['arch'] });
    expect(summary(entries)).toEqual([
      ['arch=mlp', [1, 2, 3, 4]],
      ['arch=basic-cnn', [5, 6, 7, 8]],
    ]);
    expect(entries[0].mixes.map((m) => m.key)).toEqual(['optimizer', 'opt.lr']);
  });

  test('by architecture and optimizer: four honest groups of two seeds', () => {
    const entries = plotEntries(grid, { kind: 'keys', keys: ['arch', 'optimizer'] });
    expect(summary(entries)).toEqual([
      ['arch=mlp sgd', [1, 2]],
      ['arch=mlp curveball', [3, 4]],
      ['arch=basic-cnn sgd', [5, 6]],
      ['arch=basic-cnn curveball', [7, 8]],
    ]);
    expect(entries.every((e) => e.mixes.length === 0)).toBe(true);
  });

  test('by optimizer only: each group warns that it mixes architectures', () => {
    const entries = plotEntries(grid, { kind: 'optimizer' });
    expect(entries.map((e) => [e.label, e.mixes.map((m) => `${m.label}: ${m.values.join('/')}`)])).toEqual([
      ['sgd', ['arch: mlp/basic-cnn']],
      ['curveball', ['arch: mlp/basic-cnn']],
    ]);
  });

  test('by seed, and by config (only seeds pooled, so nothing mixed)', () => {
    expect(summary(plotEntries(grid, { kind: 'keys', keys: ['seed'] }))).toEqual([
      ['seed=0', [1, 3, 5, 7]],
      ['seed=1', [2, 4, 6, 8]],
    ]);
    expect(plotEntries(grid, { kind: 'config' }).every((e) => e.mixes.length === 0)).toBe(true);
  });

  test('keys round-trip through the select value; the named groupings keep their names', () => {
    expect(parseGroupBy(groupByValue({ kind: 'keys', keys: ['arch', 'opt.lr'] }))).toEqual({ kind: 'keys', keys: ['arch', 'opt.lr'] });
    expect(groupByKeys(['optimizer'])).toEqual({ kind: 'optimizer' });
    expect(groupByKeys(['optimizer', 'opt.lr'])).toEqual({ kind: 'option', option: 'lr' });
    expect(groupByKeys([])).toEqual({ kind: 'none' });
    expect(parseGroupBy('keys:arch,nonsense')).toBeNull();
    expect(parseGroupBy('keys:arch,arch')).toBeNull();
  });

  test('the keys offered: optimizer, arch, dataset and seed always, then what varies', () => {
    expect(groupKeyChoices(grid).map((c) => c.key)).toEqual(['optimizer', 'dataset', 'arch', 'opt.lr', 'seed']);
  });
});
