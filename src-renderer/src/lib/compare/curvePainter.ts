import { withAlpha } from './palette';
import type { PlotDataset, PlotPoint } from './panelModels';
import { firstIndex } from './sortedPoints';

/**
 * Draws a panel's curves straight onto the chart's canvas: Chart.js draws the axes and grid only. A
 * Chart.js dataset makes an element object per point and resolves its options per point, which for
 * fifty runs of a thousand points, on eight panels, costs most of a second; a path of lineTo calls
 * over the visible points costs a few milliseconds.
 */

/** Where to draw: the plot area (canvas pixels, y down) and the axes' value → pixel maps. */
export interface PaintArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
  x: (value: number) => number;
  y: (value: number) => number;
  /** The x range in view (data units); points outside it, beyond one neighbour, are skipped. */
  xMin: number;
  xMax: number;
}

/** The part of CanvasRenderingContext2D the painter uses (a recorder stands in for it in tests). */
export type PaintContext = Pick<
  CanvasRenderingContext2D,
  'save' | 'restore' | 'beginPath' | 'moveTo' | 'lineTo' | 'closePath' | 'stroke' | 'fill' | 'rect' | 'clip' | 'arc' | 'strokeStyle' | 'fillStyle' | 'lineWidth' | 'lineJoin'
>;

/** Lines with at most this many points get point markers (a few epochs alone would not show). */
export const sparsePointLimit = 12;
/**
 * A panel of at most this many lines draws them bold; more are drawn one pixel wide. Many thin lines
 * read better than many bold ones, and a software canvas (no GPU) rasterises one-pixel lines about ten
 * times faster: fifty bold curves of 500 points took it 100–200 ms per panel.
 */
export const boldLineLimit = 10;
/** How far (px) markers and line ends may reach past the plot area. */
const overhang = 4;
/** Pixel coordinates are kept within this far of the plot area: a loss of 1e35 is not a canvas coordinate. */
const pixelLimit = 1e4;

/**
 * Paints bands (filled between each entry's band-min and band-max), then faint raw curves, then
 * lines, with markers on sparse lines; with `markOutside` (a clipped y range), a triangle on the
 * plot's top or bottom edge where a line leaves it, pointing the way it went.
 */
export function paintCurves(ctx: PaintContext, area: PaintArea, datasets: readonly PlotDataset[], markOutside: boolean): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left - overhang, area.top - overhang, area.right - area.left + 2 * overhang, area.bottom - area.top + 2 * overhang);
  ctx.clip();
  ctx.lineJoin = 'round';
  const lineWidth = datasets.filter((d) => d.role === 'line').length > boldLineLimit ? 1 : 1.75;
  for (const lower of datasets) {
    if (lower.role !== 'band-min') continue;
    const upper = datasets.find((d) => d.role === 'band-max' && d.entryKey === lower.entryKey);
    if (upper) fillBand(ctx, area, lower, upper);
  }
  for (const role of ['raw', 'line'] as const)
    for (const d of datasets) {
      if (d.role !== role) continue;
      const pixels = visiblePixels(d.points, area);
      strokeLine(ctx, pixels, role === 'line' ? d.color : withAlpha(d.color, 0.25), role === 'line' ? lineWidth : 1);
      if (role !== 'line') continue;
      if (d.points.length <= sparsePointLimit) markPoints(ctx, pixels, d.color);
      if (markOutside) markWhereOutside(ctx, pixels, area, d.color);
    }
  ctx.restore();
}

/** The points in view plus one neighbour on each side (so lines run to the plot's edges), as pixels. */
export function visiblePixels(points: readonly PlotPoint[], area: PaintArea): Float64Array {
  const from = Math.max(0, firstIndex(points, (x) => x >= area.xMin) - 1);
  const to = Math.min(points.length, firstIndex(points, (x) => x > area.xMax) + 1);
  const pixels = new Float64Array(2 * (to - from));
  const yLow = area.top - pixelLimit;
  const yHigh = area.bottom + pixelLimit;
  for (let i = from; i < to; i++) {
    const y = area.y(points[i].y);
    pixels[2 * (i - from)] = area.x(points[i].x);
    pixels[2 * (i - from) + 1] = y < yLow ? yLow : y > yHigh ? yHigh : y;
  }
  return pixels;
}

function strokeLine(ctx: PaintContext, pixels: Float64Array, color: string, width: number): void {
  if (pixels.length < 4) return;
  ctx.beginPath();
  ctx.moveTo(pixels[0], pixels[1]);
  for (let i = 2; i < pixels.length; i += 2) ctx.lineTo(pixels[i], pixels[i + 1]);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.stroke();
}

function fillBand(ctx: PaintContext, area: PaintArea, lower: PlotDataset, upper: PlotDataset): void {
  const low = visiblePixels(lower.points, area);
  const high = visiblePixels(upper.points, area);
  if (low.length < 4 || high.length < 4) return;
  ctx.beginPath();
  ctx.moveTo(low[0], low[1]);
  for (let i = 2; i < low.length; i += 2) ctx.lineTo(low[i], low[i + 1]);
  for (let i = high.length - 2; i >= 0; i -= 2) ctx.lineTo(high[i], high[i + 1]);
  ctx.closePath();
  ctx.fillStyle = withAlpha(lower.color, 0.24);
  ctx.fill();
}

function markPoints(ctx: PaintContext, pixels: Float64Array, color: string): void {
  ctx.fillStyle = color;
  for (let i = 0; i < pixels.length; i += 2) {
    ctx.beginPath();
    ctx.arc(pixels[i], pixels[i + 1], 3, 0, 2 * Math.PI);
    ctx.fill();
  }
}

function markWhereOutside(ctx: PaintContext, pixels: Float64Array, area: PaintArea, color: string): void {
  ctx.fillStyle = color;
  let wasOutside = 0;
  for (let i = 0; i < pixels.length; i += 2) {
    const [x, y] = [pixels[i], pixels[i + 1]];
    const outside = y < area.top ? -1 : y > area.bottom ? 1 : 0;
    if (outside !== 0 && outside !== wasOutside && x >= area.left && x <= area.right) triangle(ctx, x, outside < 0 ? area.top : area.bottom, outside);
    wasOutside = outside;
  }
}

function triangle(ctx: PaintContext, x: number, edgeY: number, direction: number): void {
  const size = 5;
  ctx.beginPath();
  ctx.moveTo(x, edgeY + direction * size);
  ctx.lineTo(x - size, edgeY - direction * size);
  ctx.lineTo(x + size, edgeY - direction * size);
  ctx.closePath();
  ctx.fill();
}
