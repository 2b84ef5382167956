import { expect, test } from 'vitest';
import { exportFileName } from './exportFileName';

test('names the runs, the x-axis and the panel', () => {
  expect(exportFileName([7, 3, 4], 'passes', 'loss', 'png')).toBe('curvelab-runs-3-4-7-by-passes-loss.png');
  expect(exportFileName([1], 'step', null, 'csv')).toBe('curvelab-runs-1-by-step.csv');
});

test('long selections are counted, odd characters in the part replaced', () => {
  expect(exportFileName([1, 2, 3, 4, 5, 6, 7], 'epoch', 'a/b c', 'png')).toBe('curvelab-7-runs-by-epoch-a_b_c.png');
});

test('says the grouping and a PNG’s scale when they apply', () => {
  expect(exportFileName([4, 3], 'step', 'val_loss', 'png', { groupBy: 'optimizer', scale: 2 })).toBe('curvelab-runs-3-4-by-step-val_loss-per-optimizer-2x.png');
  expect(exportFileName([4, 3], 'epoch', 'loss', 'svg', { groupBy: 'option:lr' })).toBe('curvelab-runs-3-4-by-epoch-loss-per-option_lr.svg');
  expect(exportFileName([1], 'seconds', 'lr', 'pdf', { groupBy: 'none', scale: 1 })).toBe('curvelab-runs-1-by-seconds-lr.pdf');
});
