import { describe, expect, test } from 'vitest';
import { makeRun, makeSpec } from '../lab/fakeLabClient.testkit';
import { configDiff } from './configDiff';

describe('configDiff', () => {
  test('only the keys that differ, with each run\'s value; the rest counted', () => {
    const a = makeRun({ id: 1, spec: makeSpec({ optimizer: 'sgd', arch: 'mlp', archOptions: { widths: '32' }, optimizerOptions: { lr: 0.1 }, seed: 0 }) });
    const b = makeRun({ id: 2, spec: makeSpec({ optimizer: 'sgd', arch: 'mlp', archOptions: { widths: '64' }, optimizerOptions: { lr: 0.1, momentum: 0.9 }, seed: 1, batchSize: 32 }) });
    // Keys: optimizer, dataset, arch, arch.widths, opt.lr, opt.momentum, batchSize, steps, shuffle, init, seed (11).
    expect(configDiff([a, b])).toEqual({
      rows: [
        { key: 'arch.widths', label: 'widths', values: ['32', '64'] },
        { key: 'opt.momentum', label: 'momentum', values: ['default', '0.9'] },
        { key: 'batchSize', label: 'batchSize', values: ['64', '32'] },
        { key: 'seed', label: 'seed', values: ['0', '1'] },
      ],
      sameCount: 7,
    });
  });

  test('identical configs: nothing differs', () => {
    const run = makeRun({ id: 1 });
    expect(configDiff([run, { ...run, id: 2 }]).rows).toEqual([]);
  });
});
