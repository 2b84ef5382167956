import { describe, expect, test } from 'vitest';
import { makeRun, makeSpec } from '../lab/fakeLabClient.testkit';
import { configKeyLabel, configKeysOf, configText, configValue, isConfigKey, stableJson, varyingConfigKeys } from './runConfigKeys';

const cnn = makeRun({ id: 1, spec: makeSpec({ arch: 'basic-cnn', optimizer: 'sgd', optimizerOptions: { lr: 0.1, momentum: 0.9 }, seed: 1 }) });
const mlp = makeRun({ id: 2, spec: makeSpec({ arch: 'mlp', archOptions: { widths: '32,32' }, optimizer: 'adam', dataset: '/data/fashion/train.csv', trainSize: 512 }) });

describe('config keys', () => {
  test('every key any run has: optimizer, dataset, arch, arch options, optimizer options, then spec fields with seed last', () => {
    expect(configKeysOf([cnn, mlp])).toEqual(['optimizer', 'dataset', 'arch', 'arch.widths', 'opt.lr', 'opt.momentum', 'batchSize', 'steps', 'shuffle', 'init', 'trainSize', 'seed']);
  });

  test('values: options by name, unset options as default, absent fields as -, a dataset path by its last part', () => {
    expect(configValue(cnn, 'opt.lr')).toBe(0.1);
    expect(configText(mlp, 'opt.lr')).toBe('default');
    expect(configText(cnn, 'arch.widths')).toBe('default');
    expect(configText(mlp, 'arch.widths')).toBe('32,32');
    expect(configText(cnn, 'trainSize')).toBe('-');
    expect(configText(mlp, 'dataset')).toBe('train.csv');
    expect(configText(cnn, 'optimizer')).toBe('sgd');
    expect(configText(cnn, 'seed')).toBe('1');
  });

  test('numbers read as written: float noise from arithmetic dropped, the values themselves kept apart', () => {
    const withLr = (lr: number) => makeRun({ id: 3, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr } }) });
    expect(configText(withLr(0.05 * 3), 'opt.lr')).toBe('0.15');
    expect(configText(withLr(1e-7), 'opt.lr')).toBe('1e-7');
    expect(configText(withLr(0.123456789012345), 'opt.lr')).toBe('0.123456789012');
    expect(configText(withLr(0.1000001), 'opt.lr')).toBe('0.1000001');
    // Grouping keeps the exact values apart.
    expect(varyingConfigKeys([withLr(0.05 * 3), withLr(0.15)])).toEqual(['opt.lr']);
  });

  test('labels name an option by its own name', () => {
    expect(['opt.lr', 'arch.widths', 'batchSize'].map(configKeyLabel)).toEqual(['lr', 'widths', 'batchSize']);
  });

  test('the keys whose values differ', () => {
    expect(varyingConfigKeys([cnn, mlp])).toEqual(['optimizer', 'dataset', 'arch', 'arch.widths', 'opt.lr', 'opt.momentum', 'trainSize', 'seed']);
    expect(varyingConfigKeys([cnn, cnn])).toEqual([]);
  });

  test('which names are keys', () => {
    expect(['optimizer', 'arch', 'seed', 'batchSize', 'opt.lr', 'arch.widths'].every(isConfigKey)).toBe(true);
    expect(['opt.', 'arch.', 'archOptions', 'optimizerOptions', 'lr', ''].some(isConfigKey)).toBe(false);
  });

  test('stableJson ignores key order', () => {
    expect(stableJson({ b: 1, a: [1, { d: 2, c: true }] })).toBe('{"a":[1,{"c":true,"d":2}],"b":1}');
  });
});
