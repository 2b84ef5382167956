import { describe, expect, test } from 'vitest';
import { makeRun, makeSpec } from '../lab/fakeLabClient.testkit';
import { mixedKeys, mixedKeysText } from './groupWarnings';

const sgdCnn = makeRun({ id: 1, spec: makeSpec({ optimizer: 'sgd', arch: 'basic-cnn', optimizerOptions: { lr: 0.1 }, seed: 0 }) });
const sgdMlp = makeRun({ id: 2, spec: makeSpec({ optimizer: 'sgd', arch: 'mlp', seed: 1 }) });
const sgdMlpSeed2 = makeRun({ id: 3, spec: makeSpec({ optimizer: 'sgd', arch: 'mlp', seed: 2 }) });

describe('mixedKeys', () => {
  test('the issue\'s case: an sgd group pooling basic-cnn at lr 0.1 with mlp at the default lr', () => {
    const mixed = mixedKeys([sgdCnn, sgdMlp], ['optimizer']);
    expect(mixed).toEqual([
      { key: 'arch', label: 'arch', values: ['basic-cnn', 'mlp'] },
      { key: 'opt.lr', label: 'lr', values: ['0.1', 'default'] },
    ]);
    expect(mixedKeysText(mixed)).toBe('mixes arch (basic-cnn, mlp), lr (0.1, default)');
  });

  test('seeds are what a group pools: runs that differ only in the seed mix nothing', () => {
    expect(mixedKeys([sgdMlp, sgdMlpSeed2], ['optimizer'])).toEqual([]);
  });

  test('keys the grouping asked for are not a warning', () => {
    expect(mixedKeys([sgdCnn, sgdMlp], ['optimizer', 'arch', 'opt.lr'])).toEqual([]);
  });

  test('architecture and dataset come first', () => {
    const a = makeRun({ id: 4, spec: makeSpec({ batchSize: 32, dataset: 'mnist' }) });
    const b = makeRun({ id: 5, spec: makeSpec({ batchSize: 64, dataset: 'cifar10' }) });
    expect(mixedKeys([a, b], []).map((m) => m.key)).toEqual(['dataset', 'batchSize']);
  });

  test('one run mixes nothing', () => {
    expect(mixedKeys([sgdCnn], [])).toEqual([]);
  });
});
