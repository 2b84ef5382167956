import type { Chart } from 'chart.js';
import type { XRange } from './chartZoom';

/**
 * While the wheel turns or a drag pans, each step paints the last full drawing stretched to the new x
 * range, which costs one image copy, and the panel redraws for real (curves, ticks, y range) once the
 * gesture rests. The x tick labels belong to the old range, so the preview blanks them until then.
 */
export class ZoomPreview {
  /** The chart as last fully drawn, and the x range it was drawn at. */
  private snapshot: { image: HTMLCanvasElement; range: XRange } | null = null;

  /** Forget the snapshot: the chart has just drawn itself at a new range or with new data. */
  drawn(): void {
    this.snapshot = null;
  }

  /** Paints `chart` as it would look at `to`, from its last full drawing at `from` (the first call keeps a copy). */
  paint(chart: Chart, from: XRange, to: XRange): void {
    const canvas = chart.canvas;
    if (!this.snapshot) {
      const image = document.createElement('canvas');
      image.width = canvas.width;
      image.height = canvas.height;
      image.getContext('2d')!.drawImage(canvas, 0, 0);
      this.snapshot = { image, range: from };
    }
    const ratio = chart.currentDevicePixelRatio;
    const area = chart.chartArea;
    const target = { left: area.left * ratio, right: area.right * ratio };
    const source = previewSourceSpan(this.snapshot.range, to, target);
    const top = area.top * ratio;
    const height = (area.bottom - area.top) * ratio;
    const ctx = chart.ctx;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(target.left, top, target.right - target.left, height);
    const xScale = chart.scales['x'];
    if (xScale) ctx.clearRect(xScale.left * ratio, xScale.top * ratio, (xScale.right - xScale.left) * ratio, (xScale.bottom - xScale.top) * ratio);
    ctx.drawImage(this.snapshot.image, source.left, top, source.right - source.left, height, target.left, top, target.right - target.left, height);
    ctx.restore();
  }
}

/**
 * Where, in a drawing of the plot area spanning `target` pixels at x range `drawnAt`, the x range `to`
 * lies: stretching that span over `target` shows `to`. Outside the drawing (zooming out past what was
 * drawn) the span reaches beyond `target`, and the canvas leaves that part blank.
 */
export function previewSourceSpan(drawnAt: XRange, to: XRange, target: { left: number; right: number }): { left: number; right: number } {
  const pixelsPerUnit = (target.right - target.left) / (drawnAt.max - drawnAt.min);
  return { left: target.left + (to.min - drawnAt.min) * pixelsPerUnit, right: target.left + (to.max - drawnAt.min) * pixelsPerUnit };
}
