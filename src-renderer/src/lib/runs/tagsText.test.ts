import { expect, test } from 'vitest';
import { formatTags, parseTags } from './tagsText';

test('commas separate tags; blanks and repeats are dropped', () => {
  expect(parseTags(' baseline, paper figure 2 ,, baseline ')).toEqual({ ok: true, value: ['baseline', 'paper figure 2'] });
  expect(parseTags('')).toEqual({ ok: true, value: [] });
});

test('limits are named', () => {
  expect(parseTags('x'.repeat(61))).toEqual({ ok: false, error: `tags: "${'x'.repeat(20)}…" is longer than 60 characters` });
  expect(parseTags(Array.from({ length: 51 }, (_, i) => `t${i}`).join(','))).toEqual({ ok: false, error: 'tags: at most 50, got 51' });
});

test('formatting is the inverse for clean tags', () => {
  expect(formatTags(['a', 'b c'])).toBe('a, b c');
});
