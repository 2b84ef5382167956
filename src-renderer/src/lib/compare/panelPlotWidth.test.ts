import { expect, test } from 'vitest';
import { panelPlotWidth } from './panelPlotWidth';

test('one bucket per pixel of a panel\'s plot, as the grid lays the panels out', () => {
  // 1,248 px: two columns of (1248 − 12) / 2 = 618 px, less 70 px of padding and y labels.
  expect(panelPlotWidth(1248)).toBe(548);
  // 900 px: one column (two would need 972).
  expect(panelPlotWidth(900)).toBe(830);
  // 2,000 px: (2000 + 12) / 492 = 4.09, four columns of (2000 − 36) / 4 = 491 px.
  expect(panelPlotWidth(2000)).toBe(421);
  // 5,000 px: ten columns of (5000 − 108) / 10 = 489.2 px.
  expect(panelPlotWidth(5000)).toBe(419);
  // Never fewer than 200 points.
  expect(panelPlotWidth(100)).toBe(200);
});
