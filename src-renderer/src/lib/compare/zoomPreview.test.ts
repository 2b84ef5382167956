import { describe, expect, it } from 'vitest';
import { previewSourceSpan } from './zoomPreview';

describe('previewSourceSpan', () => {
  // A plot area from pixel 50 to 650 (600 px) drawn for steps 0..1200: 2 steps per pixel.
  const target = { left: 50, right: 650 };
  const drawnAt = { min: 0, max: 1200 };

  it('finds a zoomed-in range inside the drawing: steps 300..900 are pixels 200..500', () => {
    expect(previewSourceSpan(drawnAt, { min: 300, max: 900 }, target)).toEqual({ left: 200, right: 500 });
  });

  it('maps the drawn range onto itself', () => {
    expect(previewSourceSpan(drawnAt, drawnAt, target)).toEqual(target);
  });

  it('reaches past the drawing when zooming out or panning beyond it', () => {
    expect(previewSourceSpan({ min: 600, max: 1200 }, { min: 300, max: 1500 }, target)).toEqual({ left: -250, right: 950 });
  });
});
