import { expect, test } from 'vitest';
import { exportFileName } from './exportFileName';

test('names the runs, the x-axis and the panel', () => {
  expect(exportFileName([7, 3, 4], 'passes', 'loss', 'png')).toBe('curvelab-runs-3-4-7-by-passes-loss.png');
  expect(exportFileName([1], 'step', null, 'csv')).toBe('curvelab-runs-1-by-step.csv');
});

test('long selections are counted, odd characters in the part replaced', () => {
  expect(exportFileName([1, 2, 3, 4, 5, 6, 7], 'epoch', 'a/b c', 'png')).toBe('curvelab-7-runs-by-epoch-a_b_c.png');
});
