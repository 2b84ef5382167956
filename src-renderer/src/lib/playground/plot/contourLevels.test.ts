import { describe, expect, it } from 'vitest';
import { bandIndex, contourLevels, logLevels, quadraticLevels } from './contourLevels';

describe('contour levels', () => {
  it('spaces log levels by a constant ratio: 1, 10, 100, 1000', () => {
    const levels = logLevels(1, 1000, 4);
    [1, 10, 100, 1000].forEach((expected, k) => expect(levels[k]).toBeCloseTo(expected, 9));
  });

  it('spaces quadratic levels as squares, so ellipse radii are even: 1, 4, 9, 16 of 16', () => {
    expect(quadraticLevels(16, 4)).toEqual([1, 4, 9, 16]);
  });

  it('places log levels on f − f* across five decades and shifts them back', () => {
    const levels = contourLevels('log', 2, 1002, 6);
    [2 + 0.01, 2 + 0.1, 2 + 1, 2 + 10, 2 + 100, 2 + 1000].forEach((expected, k) => expect(levels[k]).toBeCloseTo(expected, 9));
  });

  it('gives no levels for a flat view', () => {
    expect(contourLevels('log', 0, 0, 10)).toEqual([]);
  });

  it('counts the levels below a value', () => {
    const levels = [1, 4, 9];
    expect(bandIndex(levels, 0.5)).toBe(0);
    expect(bandIndex(levels, 4)).toBe(1);
    expect(bandIndex(levels, 5)).toBe(2);
    expect(bandIndex(levels, 100)).toBe(3);
  });
});
