import { describe, expect, test } from 'vitest';
import { keyboardXRange, panXRange, wheelZoomFactor, xAtPixel, zoomXRange } from './chartZoom';

const extent = { min: 0, max: 2000 };

describe('zoomXRange', () => {
  test('keeps the anchor where it was on screen', () => {
    // Anchor at 500 is a quarter of the way across [0, 2000]; halving the span gives [250, 1250].
    expect(zoomXRange(extent, 500, 0.5, extent)).toEqual({ min: 250, max: 1250 });
    const inner = { min: 100, max: 300 };
    // Anchor 150 is 25% across; a span of 100 starts at 150 − 25.
    expect(zoomXRange(inner, 150, 0.5, extent)).toEqual({ min: 125, max: 225 });
  });

  test('zooming out stops at the data and then means "not zoomed"', () => {
    expect(zoomXRange({ min: 0, max: 1000 }, 0, 4, extent)).toBeNull();
    // A range pushed past the right end slides back inside.
    expect(zoomXRange({ min: 1900, max: 1990 }, 1900, 2, extent)).toEqual({ min: 1820, max: 2000 });
  });

  test('never narrower than a ten-thousandth of the extent', () => {
    const r = zoomXRange({ min: 1000, max: 1000.2 }, 1000.1, 0.01, extent)!;
    expect(r.max - r.min).toBeCloseTo(0.2, 9);
  });
});

describe('panXRange', () => {
  test('moves the view and stops at the ends', () => {
    expect(panXRange({ min: 100, max: 200 }, 50, extent)).toEqual({ min: 150, max: 250 });
    expect(panXRange({ min: 100, max: 200 }, -500, extent)).toEqual({ min: 0, max: 100 });
    expect(panXRange({ min: 1900, max: 1990 }, 500, extent)).toEqual({ min: 1910, max: 2000 });
  });
});

test('a wheel notch up zooms in, down zooms out, by the same factor', () => {
  expect(wheelZoomFactor(-100)).toBeCloseTo(Math.exp(-0.2), 12);
  expect(wheelZoomFactor(100) * wheelZoomFactor(-100)).toBeCloseTo(1, 12);
});

test('keys: + and − zoom around the middle, arrows pan by a tenth, 0 resets, others are not ours', () => {
  const view = { min: 1000, max: 1200 };
  expect(keyboardXRange('+', view, extent)).toEqual({ min: 1020, max: 1180 });
  expect(keyboardXRange('-', view, extent)).toEqual({ min: 975, max: 1225 });
  expect(keyboardXRange('ArrowRight', view, extent)).toEqual({ min: 1020, max: 1220 });
  expect(keyboardXRange('ArrowLeft', view, extent)).toEqual({ min: 980, max: 1180 });
  expect(keyboardXRange('0', view, extent)).toBeNull();
  expect(keyboardXRange('a', view, extent)).toBeUndefined();
});

describe('xAtPixel', () => {
  test('maps the plot area linearly onto the range: pixel 350 of 50..650 is the middle', () => {
    expect(xAtPixel({ min: 100, max: 300 }, { left: 50, right: 650 }, 350)).toBe(200);
    expect(xAtPixel({ min: 100, max: 300 }, { left: 50, right: 650 }, 50)).toBe(100);
    expect(xAtPixel({ min: 100, max: 300 }, { left: 50, right: 650 }, 80)).toBe(110);
  });
});
