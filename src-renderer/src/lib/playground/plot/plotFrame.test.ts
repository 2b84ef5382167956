import { describe, expect, it } from 'vitest';
import { createPlotFrame, fitViewToAspect, toCanvas, toWorld } from './plotFrame';

describe('fitViewToAspect', () => {
  it('widens x for a wide canvas, keeping the centre and y', () => {
    // A 4 × 2 view in a 400 × 100 canvas (aspect 4) becomes 8 × 2.
    expect(fitViewToAspect({ xMin: 0, xMax: 4, yMin: -1, yMax: 1 }, 400, 100)).toEqual({ xMin: -2, xMax: 6, yMin: -1, yMax: 1 });
  });

  it('widens y for a tall canvas', () => {
    expect(fitViewToAspect({ xMin: -1, xMax: 1, yMin: 0, yMax: 1 }, 100, 200)).toEqual({ xMin: -1, xMax: 1, yMin: -1.5, yMax: 2.5 });
  });
});

describe('toCanvas and toWorld', () => {
  const frame = createPlotFrame({ xMin: -2, xMax: 2, yMin: -1, yMax: 3 }, 200, 200);

  it('maps the view’s corners to the canvas corners, y pointing up', () => {
    expect(toCanvas(frame, [-2, 3])).toEqual([0, 0]);
    expect(toCanvas(frame, [2, -1])).toEqual([200, 200]);
    expect(toCanvas(frame, [0, 1])).toEqual([100, 100]);
  });

  it('inverts toCanvas', () => {
    expect(toWorld(frame, 50, 150)).toEqual([-1, 0]);
    const [x, y] = toWorld(frame, ...toCanvas(frame, [0.3, 2.1]));
    expect(x).toBeCloseTo(0.3, 12);
    expect(y).toBeCloseTo(2.1, 12);
  });
});
