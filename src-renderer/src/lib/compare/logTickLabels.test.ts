import { expect, test } from 'vitest';
import { logTickLabels } from './logTickLabels';

test('one decade: powers of ten, 5× and 2× first, then others that keep 10% of the range apart', () => {
  // log10 distances: 0.3 → 0.2 is 0.176, 0.4 → 0.5 is 0.097 (< 0.1, too close), 0.7 → 0.5 is 0.146
  // and → 1 is 0.155; 0.6, 0.8, 0.9 are within 0.1 of a labelled tick.
  const values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  expect(logTickLabels(values)).toEqual(['0.1', '0.2', '0.3', '', '0.5', '', '0.7', '', '', '1']);
});

test('many decades: only powers of ten fit', () => {
  // Seven decades: a 2× or 5× tick is within 0.7 (10% of 7) of a power of ten.
  const values = [1e-6, 2e-6, 5e-6, 1e-5, 1e-4, 1e-3, 5e-3, 0.01, 0.1, 1, 10];
  expect(logTickLabels(values)).toEqual(['1e-6', '', '', '1e-5', '1e-4', '0.001', '', '0.01', '0.1', '1', '10']);
});

test('a narrow range inside one decade still gets labels', () => {
  // 0.44 … 0.6: span log10(0.6/0.44) = 0.135; 10% of it is 0.0135. 0.5 first (5×), then 0.44, 0.45, …
  const labels = logTickLabels([0.44, 0.45, 0.5, 0.6]);
  expect(labels).toEqual(['0.44', '', '0.5', '0.6']);
});

test('non-positive and non-finite ticks get no label', () => {
  expect(logTickLabels([0, -1, Number.NaN])).toEqual(['', '', '']);
  expect(logTickLabels([])).toEqual([]);
});
