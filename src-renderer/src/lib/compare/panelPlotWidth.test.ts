import { expect, test } from 'vitest';
import { curvePointsFor, panelPlotWidth } from './panelPlotWidth';

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

test('2 + the power of two nearest the plot width, from 130 to 4,098 points', () => {
  // 548 px: log2 is 9.10, so 2 + 512; 830 px: 9.70, so 2 + 1,024.
  expect(curvePointsFor(548)).toBe(514);
  expect(curvePointsFor(830)).toBe(1026);
  // 724 px is just under 2^9.5 (724.08): still 2 + 512.
  expect(curvePointsFor(724)).toBe(514);
  expect(curvePointsFor(725)).toBe(1026);
  expect(curvePointsFor(10)).toBe(130);
  expect(curvePointsFor(20_000)).toBe(4098);
});
