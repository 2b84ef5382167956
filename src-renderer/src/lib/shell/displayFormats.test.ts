import { expect, test } from 'vitest';
import { formatAccuracy, formatBytes, formatCount, formatDuration, formatLoss, formatShape, shortHash } from './displayFormats';

test('shapes read as H×W×C', () => {
  expect(formatShape([28, 28, 1])).toBe('28×28×1');
  expect(formatShape([4])).toBe('4');
  expect(formatShape([])).toBe('scalar');
});

test('counts get thousands separators', () => {
  expect(formatCount(60000)).toBe('60,000');
  expect(formatCount(7)).toBe('7');
});

test('accuracy is a percentage; missing values are a dash', () => {
  expect(formatAccuracy(0.97312)).toBe('97.31%');
  expect(formatAccuracy(1)).toBe('100.00%');
  expect(formatAccuracy(null)).toBe('—');
});

test('loss keeps four significant digits', () => {
  expect(formatLoss(0.123456)).toBe('0.1235');
  expect(formatLoss(2.302585)).toBe('2.303');
  expect(formatLoss(0.0000123)).toBe('1.230e-5');
  expect(formatLoss(0)).toBe('0.000');
  expect(formatLoss(Number.NaN)).toBe('NaN');
  expect(formatLoss(null)).toBe('—');
});

test('durations pick their unit', () => {
  expect(formatDuration(9_400)).toBe('9.4 s');
  expect(formatDuration(185_000)).toBe('3 min 05 s');
  expect(formatDuration(2 * 3600_000 + 7 * 60_000 + 30_000)).toBe('2 h 07 min');
  expect(formatDuration(null)).toBe('—');
});

test('bytes in binary units', () => {
  expect(formatBytes(512)).toBe('512 B');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(47_040_016)).toBe('44.9 MiB');
});

test('short hash', () => {
  expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab');
});
