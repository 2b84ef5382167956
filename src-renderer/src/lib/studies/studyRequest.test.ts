import { describe, expect, test } from 'vitest';
import { makeDataset } from '../lab/fakeLabClient.testkit';
import { buildStudyRequest, type StudyForm } from './studyRequest';

const form = (overrides: Partial<StudyForm> = {}): StudyForm => ({
  source: 'built-in',
  builtIn: 'seed-table',
  scale: 'tiny',
  dataset: makeDataset(),
  countText: '',
  jsonText: '{}',
  ...overrides,
});

describe('a built-in study', () => {
  test('names the built-in, its scale and the dataset by what a run spec holds for it', () => {
    expect(buildStudyRequest(form({ scale: 'small', dataset: makeDataset({ source: '/data/fashion' }) }))).toEqual({
      ok: true,
      request: { builtIn: 'seed-table', scale: 'small', dataset: '/data/fashion' },
    });
  });

  test("a CSV dataset brings its target column", () => {
    const csv = makeDataset({ source: '/data/points.csv', format: 'csv', target: 'label' });
    expect(buildStudyRequest(form({ dataset: csv }))).toEqual({ ok: true, request: { builtIn: 'seed-table', scale: 'tiny', dataset: '/data/points.csv', target: 'label' } });
  });

  test('random architectures take a count; empty leaves the built-in its default; seed-table ignores it', () => {
    expect(buildStudyRequest(form({ builtIn: 'random-architectures', countText: ' 20 ' }))).toEqual({
      ok: true,
      request: { builtIn: 'random-architectures', scale: 'tiny', dataset: 'mnist', count: 20 },
    });
    expect(buildStudyRequest(form({ builtIn: 'random-architectures' }))).toEqual({ ok: true, request: { builtIn: 'random-architectures', scale: 'tiny', dataset: 'mnist' } });
    expect(buildStudyRequest(form({ countText: 'many' }))).toEqual({ ok: true, request: { builtIn: 'seed-table', scale: 'tiny', dataset: 'mnist' } });
  });

  test('a count that is not a whole number, or no dataset, is said at its field', () => {
    expect(buildStudyRequest(form({ builtIn: 'random-architectures', countText: '2.5' }))).toEqual({ ok: false, errors: { count: 'Architectures: expected a whole number, got “2.5”.' } });
    expect(buildStudyRequest(form({ dataset: null }))).toEqual({ ok: false, errors: { dataset: 'Choose a dataset (add one on the Datasets screen).' } });
  });
});

describe('a JSON spec', () => {
  test('is sent as parsed, whatever its fields (the lab judges them)', () => {
    expect(buildStudyRequest(form({ source: 'json', jsonText: '{"dataset": "mnist", "seeds": [0, 1], "extra": true}' }))).toEqual({
      ok: true,
      request: { spec: { dataset: 'mnist', seeds: [0, 1], extra: true } },
    });
  });

  test('text that is not JSON, or not an object, is said at the spec', () => {
    const broken = buildStudyRequest(form({ source: 'json', jsonText: '{"dataset": ' }));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors.spec).toMatch(/^Not valid JSON: /);
    for (const text of ['[1, 2]', 'null', '"mnist"']) {
      expect(buildStudyRequest(form({ source: 'json', jsonText: text })), text).toEqual({ ok: false, errors: { spec: 'The spec must be a JSON object ({ … }).' } });
    }
  });
});
