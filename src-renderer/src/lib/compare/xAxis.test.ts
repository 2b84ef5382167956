import type { CurvePoint, EpochPoint } from '$api/labApi';
import { expect, test } from 'vitest';
import { curvePointX, epochPointX, formatXValue, isXAxisKind, xAxisLabel } from './xAxis';

const point: CurvePoint = { step: 120, epoch: 1.5, seconds: 33.25, passes: 480, value: 0.7, min: 0.6, max: 0.8, count: 4 };
const epoch: EpochPoint = { epoch: 2, steps: 240, seconds: 61, passes: 960, trainLoss: 0.5, trainAccuracy: 0.9, valLoss: 0.55, valAccuracy: 0.88 };

test('a per-step point is placed at its step, fractional epoch, seconds or passes', () => {
  expect(curvePointX(point, 'step')).toBe(120);
  expect(curvePointX(point, 'epoch')).toBe(1.5);
  expect(curvePointX(point, 'seconds')).toBe(33.25);
  expect(curvePointX(point, 'passes')).toBe(480);
});

test('an epoch point is placed where its epoch ended: after `steps` updates, at epoch index + 1', () => {
  expect(epochPointX(epoch, 'step')).toBe(240);
  expect(epochPointX(epoch, 'epoch')).toBe(3);
  expect(epochPointX(epoch, 'seconds')).toBe(61);
  expect(epochPointX(epoch, 'passes')).toBe(960);
});

test('labels and the kind guard', () => {
  expect(xAxisLabel('passes')).toBe('Passes (fwd + bwd + fwd-mode)');
  expect(xAxisLabel('seconds')).toBe('Wall time (s)');
  expect(isXAxisKind('epoch')).toBe(true);
  expect(isXAxisKind('minutes')).toBe(false);
});

test('x values in the tooltip: compact, seconds with a unit', () => {
  expect(formatXValue(12.3456, 'seconds')).toBe('12.35 s');
  expect(formatXValue(1500, 'step')).toBe('1500');
  expect(formatXValue(0.25, 'epoch')).toBe('0.25');
});
