import { describe, expect, test } from 'vitest';
import { makeRun, makeSpec } from '../lab/fakeLabClient.testkit';
import { configKeysOf } from './runConfigKeys';
import { parseRunFilter, unknownFilterKeys } from './runFilter';
import { runMatches } from './runRows';

const runs = [
  makeRun({ id: 1, spec: makeSpec({ optimizer: 'curveball', arch: 'mlp', archOptions: { widths: '32' } }), status: 'completed', bestValAccuracy: 0.95, tags: ['paper'] }),
  makeRun({ id: 2, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr: 0.1, momentum: 0.9 }, batchSize: 32 }), status: 'completed', bestValAccuracy: 0.9 }),
  makeRun({ id: 3, spec: makeSpec({ optimizer: 'sgd', optimizerOptions: { lr: 0.01 }, seed: 2 }), status: 'diverged', bestValLoss: 2.5 }),
  makeRun({ id: 4, spec: makeSpec({ optimizer: 'adam', optimizerOptions: { lr: 0.001 }, dataset: '/data/fashion/train.csv' }), status: 'running' }),
];
const keys = configKeysOf(runs);
const ids = (text: string) => runs.filter((run) => runMatches(run, undefined, parseRunFilter(text), 'all', keys)).map((r) => r.id);

describe('parseRunFilter', () => {
  test('words and comparisons; spaces around an operator are allowed', () => {
    expect(parseRunFilter('Paper  lr > 0.05 status=completed acc>=90%')).toEqual({
      terms: [
        { kind: 'word', word: 'paper' },
        { kind: 'compare', key: 'lr', op: '>', value: '0.05' },
        { kind: 'compare', key: 'status', op: '=', value: 'completed' },
        { kind: 'compare', key: 'acc', op: '>=', value: '90%' },
      ],
      errors: [],
    });
  });

  test('mistakes are reported by term, never thrown, and the term is left out', () => {
    const parsed = parseRunFilter('=3 curveball lr>abc 9x=1 batchSize<=');
    expect(parsed.terms).toEqual([{ kind: 'word', word: 'curveball' }]);
    expect(parsed.errors).toEqual(['“=3”: a key must come before =', '“lr>abc”: > needs a number, got “abc”', '“9x=1”: “9x” is not a key name', '“batchSize<=”: a value must come after <=']);
  });

  test('keys no run has are named', () => {
    expect(unknownFilterKeys(parseRunFilter('lrr>0.1 lr>0.1 opt.momentum=0.9 widths=32 acc>0.5 tag=x'), runs)).toEqual(['no run has a key “lrr”']);
  });
});

describe('filter expressions over runs', () => {
  test('the issue\'s example: optimizer=curveball lr>0.05 status=completed', () => {
    expect(ids('optimizer=sgd lr>0.05 status=completed')).toEqual([2]);
    expect(ids('optimizer=curveball status=completed')).toEqual([1]);
  });

  test('every operator on an optimizer option; unset options read default and have no number', () => {
    expect(ids('lr=0.1')).toEqual([2]);
    expect(ids('lr=0.10')).toEqual([2]);
    expect(ids('lr!=0.1')).toEqual([1, 3, 4]);
    expect(ids('lr<0.01')).toEqual([4]);
    expect(ids('lr<=0.01')).toEqual([3, 4]);
    expect(ids('lr>=0.01')).toEqual([2, 3]);
    expect(ids('lr=default')).toEqual([1]);
    expect(ids('opt.momentum>0.5')).toEqual([2]);
  });

  test('spec fields, arch options, results in percent, id, tags, any case', () => {
    expect(ids('batchSize<64')).toEqual([2]);
    expect(ids('seed=2')).toEqual([3]);
    expect(ids('dataset=train.csv')).toEqual([4]);
    expect(ids('WIDTHS=32')).toEqual([1]);
    expect(ids('acc>=90%')).toEqual([1, 2]);
    expect(ids('bestValAccuracy>0.92')).toEqual([1]);
    expect(ids('loss>2')).toEqual([3]);
    expect(ids('id>2')).toEqual([3, 4]);
    expect(ids('tag=PAPER')).toEqual([1]);
    expect(ids('tag!=paper')).toEqual([2, 3, 4]);
    expect(ids('Optimizer=SGD')).toEqual([2, 3]);
  });

  test('plain words still match the run\'s text, together with comparisons', () => {
    expect(ids('diverged')).toEqual([3]);
    expect(ids('sgd lr<0.05')).toEqual([3]);
  });

  test('a term with a mistake is left out, the rest still filters', () => {
    expect(ids('optimizer=sgd lr>abc')).toEqual([2, 3]);
  });
});
