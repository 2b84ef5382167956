import { expect, test } from 'vitest';
import { parseSeeds } from './seeds';

test('a list with commas and spaces', () => {
  expect(parseSeeds('0, 1,2')).toEqual({ ok: true, value: [0, 1, 2] });
  expect(parseSeeds('7')).toEqual({ ok: true, value: [7] });
  expect(parseSeeds(' 3 1 ')).toEqual({ ok: true, value: [3, 1] });
});

test('inclusive ranges', () => {
  expect(parseSeeds('0-3, 10')).toEqual({ ok: true, value: [0, 1, 2, 3, 10] });
});

test('bad entries are named in the error', () => {
  expect(parseSeeds('0, x')).toEqual({ ok: false, error: 'seeds: "x" is not a whole number ≥ 0 or a range like 0-4' });
  expect(parseSeeds('-1')).toEqual({ ok: false, error: 'seeds: "-1" is not a whole number ≥ 0 or a range like 0-4' });
  expect(parseSeeds('1.5')).toEqual({ ok: false, error: 'seeds: "1.5" is not a whole number ≥ 0 or a range like 0-4' });
  expect(parseSeeds('')).toEqual({ ok: false, error: 'seeds: enter at least one seed, e.g. 0 or 0,1,2' });
  expect(parseSeeds('1,1')).toEqual({ ok: false, error: 'seeds: 1 is listed twice' });
  expect(parseSeeds('5-2')).toEqual({ ok: false, error: 'seeds: the range 5-2 runs backwards' });
  expect(parseSeeds('2147483648')).toEqual({ ok: false, error: 'seeds: 2147483648 is too large (at most 2147483647)' });
  expect(parseSeeds('0-100')).toEqual({ ok: false, error: 'seeds: at most 100 seeds' });
});
