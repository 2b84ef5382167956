/** An x interval in data units (steps, epochs, seconds or passes). */
export interface XRange {
  min: number;
  max: number;
}

/** The narrowest view, as a fraction of the data's extent: zooming further does nothing. */
const minSpanFraction = 1e-4;

/**
 * Zooms `range` by `factor` (< 1 in, > 1 out) around `anchor` (the x under the cursor stays under it),
 * kept inside `extent` (the data's own x range; zooming out never goes past it). Null when the result
 * covers the whole extent: the panel is then simply not zoomed.
 */
export function zoomXRange(range: XRange, anchor: number, factor: number, extent: XRange): XRange | null {
  const extentSpan = extent.max - extent.min;
  const span = Math.max((range.max - range.min) * factor, extentSpan * minSpanFraction);
  const t = range.max > range.min ? (anchor - range.min) / (range.max - range.min) : 0.5;
  const min = anchor - t * span;
  return fitInside({ min, max: min + span }, extent);
}

/** Shifts `range` by `delta` (data units), stopping at the extent's ends. */
export function panXRange(range: XRange, delta: number, extent: XRange): XRange | null {
  return fitInside({ min: range.min + delta, max: range.max + delta }, extent);
}

/**
 * The x under pixel `px` of a plot area spanning `area` (pixels) that shows `range`. Computed from the
 * range, not the chart's scale: while a gesture previews (zoomPreview), the scale is that of the last
 * full drawing.
 */
export function xAtPixel(range: XRange, area: { left: number; right: number }, px: number): number {
  return range.min + ((px - area.left) / Math.max(1, area.right - area.left)) * (range.max - range.min);
}

/** A wheel's deltaY as a zoom factor: a notch (100) down zooms out by e^0.2 ≈ 1.22, up zooms in. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.exp(deltaY * 0.002);
}

/**
 * What a key does to a focused chart: `+`/`=` zoom in and `-` zooms out around the middle, the arrows
 * pan by a tenth of the view, `0` (or Escape) resets. `undefined` for keys the chart does not use;
 * null for "not zoomed".
 */
export function keyboardXRange(key: string, range: XRange, extent: XRange): XRange | null | undefined {
  const middle = (range.min + range.max) / 2;
  const step = (range.max - range.min) / 10;
  switch (key) {
    case '+':
    case '=':
      return zoomXRange(range, middle, 0.8, extent);
    case '-':
    case '_':
      return zoomXRange(range, middle, 1.25, extent);
    case 'ArrowLeft':
      return panXRange(range, -step, extent);
    case 'ArrowRight':
      return panXRange(range, step, extent);
    case '0':
    case 'Escape':
      return null;
    default:
      return undefined;
  }
}

function fitInside(range: XRange, extent: XRange): XRange | null {
  const span = range.max - range.min;
  if (span >= extent.max - extent.min) return null;
  if (range.min < extent.min) return { min: extent.min, max: extent.min + span };
  if (range.max > extent.max) return { min: extent.max - span, max: extent.max };
  return range;
}
