import type { Vec2 } from '../math/vec2';
import type { PlaygroundRun } from '../playgroundState.svelte';
import { axisTicks } from './axisTicks';
import type { PlotFrame } from './plotFrame';
import { toCanvas } from './plotFrame';
import type { PlotPalette } from './plotPalette';

export interface Scene {
  readonly frame: PlotFrame;
  readonly layer: HTMLCanvasElement;
  readonly runs: readonly PlaygroundRun[];
  readonly step: number;
  readonly start: Vec2;
  readonly minimum: Vec2;
  readonly palette: PlotPalette;
}

/** Above this many steps shown, per-step dots would merge into a smear; the line alone reads better. */
const maxStepDots = 400;

/**
 * Paints one moment of the playground: the contour layer, coordinate ticks, then each run's path up to
 * `step` as a coloured line over a --bg halo (so it reads on every band, in both themes), a dot per step
 * and a larger dot where the run is now, and on top the minimum (a cross) and the start (a ring), labelled.
 */
export function paintScene(ctx: CanvasRenderingContext2D, scene: Scene, pixelRatio: number): void {
  const { frame, layer, runs, step, palette } = scene;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.drawImage(layer, 0, 0);
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);

  paintTicks(ctx, frame, palette);

  for (const run of runs) {
    const last = Math.min(step, run.trajectory.points.length - 1);
    const pixels = run.trajectory.points.slice(0, last + 1).map((p) => toCanvas(frame, p));
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    strokePath(ctx, pixels, palette.bgCss, 4.5, 0.75);
    strokePath(ctx, pixels, run.color, 2, 1);
    ctx.fillStyle = run.color;
    if (last <= maxStepDots) {
      for (const [x, y] of pixels) {
        ctx.beginPath();
        ctx.arc(x, y, 2.2, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    const [x, y] = pixels[pixels.length - 1];
    ctx.beginPath();
    ctx.arc(x, y, 5.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = palette.bgCss;
    ctx.stroke();
  }

  // Markers last, so that paths crossing them never hide where the runs began and should end.
  paintMinimum(ctx, toCanvas(frame, scene.minimum), palette);
  paintStart(ctx, toCanvas(frame, scene.start), palette);
}

function strokePath(ctx: CanvasRenderingContext2D, pixels: readonly Vec2[], color: string, width: number, alpha: number): void {
  if (pixels.length < 2) return;
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(pixels[0][0], pixels[0][1]);
  for (let k = 1; k < pixels.length; k++) ctx.lineTo(pixels[k][0], pixels[k][1]);
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function paintMinimum(ctx: CanvasRenderingContext2D, [x, y]: Vec2, palette: PlotPalette): void {
  const r = 7;
  ctx.lineWidth = 2;
  for (const [color, width] of [
    [palette.bgCss, 4.5],
    [palette.fgCss, 2],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(x - r, y - r);
    ctx.lineTo(x + r, y + r);
    ctx.moveTo(x - r, y + r);
    ctx.lineTo(x + r, y - r);
    ctx.stroke();
  }
  ctx.textBaseline = 'bottom';
  haloText(ctx, 'minimum', x + r + 3, y - 2, palette);
}

function paintStart(ctx: CanvasRenderingContext2D, [x, y]: Vec2, palette: PlotPalette): void {
  ctx.beginPath();
  ctx.arc(x, y, 7, 0, 2 * Math.PI);
  ctx.lineWidth = 4;
  ctx.strokeStyle = palette.bgCss;
  ctx.stroke();
  ctx.lineWidth = 2;
  ctx.strokeStyle = palette.fgCss;
  ctx.stroke();
  ctx.textBaseline = 'top';
  haloText(ctx, 'start', x + 10, y + 4, palette);
}

/** A label with a --bg outline, so it stays legible over bands and paths alike. */
function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, palette: PlotPalette): void {
  ctx.font = `12px ${palette.fontFamily}`;
  ctx.textAlign = 'left';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = palette.bgCss;
  ctx.strokeText(text, x, y);
  ctx.fillStyle = palette.fgCss;
  ctx.fillText(text, x, y);
}

/** Coordinate labels just inside the bottom and left edges, so positions can be read off the plot. */
function paintTicks(ctx: CanvasRenderingContext2D, frame: PlotFrame, palette: PlotPalette): void {
  const { view, width, height } = frame;
  ctx.font = `11px ${palette.fontFamily}`;
  ctx.fillStyle = palette.mutedCss;
  ctx.textBaseline = 'bottom';
  ctx.textAlign = 'center';
  for (const x of axisTicks(view.xMin, view.xMax, Math.max(2, Math.floor(width / 90)))) {
    const [px] = toCanvas(frame, [x, 0]);
    if (px < 24 || px > width - 12) continue;
    ctx.fillText(String(x).replace('-', '−'), px, height - 4);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const y of axisTicks(view.yMin, view.yMax, Math.max(2, Math.floor(height / 70)))) {
    const [, py] = toCanvas(frame, [0, y]);
    if (py < 12 || py > height - 24) continue;
    ctx.fillText(String(y).replace('-', '−'), 6, py);
  }
}
