import { expect, test } from 'vitest';
import { limitHelp } from './limitHelp';

test("the help lines state the lab's published limits", () => {
  expect(limitHelp).toEqual({
    seeds: 'e.g. 0 or 0,1,2 or 0-4, at most 100; runs with the same seed start from the same weights',
    batchSize: 'a whole number up to 1,000,000, or “full”',
    length: 'at most 100,000 epochs or 100,000,000 steps',
    experimentName: 'at most 200 characters',
  });
});
