import type { Chart } from 'chart.js';
import { hoverReadout, type ReadoutCurve, type ReadoutRow } from './hoverReadout';
import type { PlotPoint } from './panelModels';

/** How far (px) from the pointer a curve's point still counts as "at this x". */
export const hoverTolerancePx = 12;
/** The readout lists at most this many curves, the ones nearest the pointer. */
export const readoutLimit = 8;

/** A distance of `px` canvas pixels along x, in data units. */
export function pixelsToX(chart: Chart<'line', PlotPoint[]>, px: number): number {
  const { left, right } = chart.chartArea;
  const scale = chart.scales.x;
  return (Math.abs(scale.max - scale.min) * px) / Math.max(1, right - left);
}

/** Overlays with something drawn on them: a blank one needs no clearing (every panel's redraw asks, 8 canvases sized and cleared for nothing). */
const marked = new WeakSet<HTMLCanvasElement>();

/**
 * Draws the hover crosshair on `overlay` (a canvas laid over the chart's, same size): a vertical line
 * at x and a dot on each curve's point there. Clears it when x is null or outside the visible range.
 * Nothing of the chart itself is redrawn. Returns the readout at x (for the tooltip), listing the
 * curves nearest `pixelY` when given (the panel under the pointer).
 */
export function drawHoverOverlay(
  overlay: HTMLCanvasElement,
  chart: Chart<'line', PlotPoint[]>,
  curves: readonly ReadoutCurve[],
  x: number | null,
  lineColor: string,
  pixelY: number | null,
): { rows: ReadoutRow[]; total: number } | null {
  if (x === null && !marked.has(overlay)) return null;
  const ratio = chart.currentDevicePixelRatio;
  const { width, height } = chart.canvas;
  if (overlay.width !== width || overlay.height !== height) {
    overlay.width = width;
    overlay.height = height;
  }
  const ctx = overlay.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, width, height);
  marked.delete(overlay);
  if (x === null) return null;
  const { left, right, top, bottom } = chart.chartArea;
  const px = chart.scales.x.getPixelForValue(x);
  if (!(px >= left - 0.5 && px <= right + 0.5)) return null;
  const yScale = chart.scales.y;
  const readout = hoverReadout(curves, x, pixelsToX(chart, hoverTolerancePx), (y) => Math.abs(yScale.getPixelForValue(y) - (pixelY ?? 0)), pixelY === null ? Infinity : readoutLimit);

  marked.add(overlay);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.strokeStyle = lineColor;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(Math.round(px) + 0.5, top);
  ctx.lineTo(Math.round(px) + 0.5, bottom);
  ctx.stroke();
  for (const row of readout.rows) {
    const py = yScale.getPixelForValue(row.y);
    if (!(py >= top && py <= bottom)) continue;
    ctx.fillStyle = row.color;
    ctx.beginPath();
    ctx.arc(chart.scales.x.getPixelForValue(row.x), py, row.under ? 4 : 3, 0, 2 * Math.PI);
    ctx.fill();
  }
  return readout;
}
