import type { TestFunction } from '../functions/testFunction';
import { bandIndex, contourLevels } from './contourLevels';
import { contourSegments } from './marchingSquares';
import type { PlotFrame } from './plotFrame';
import type { PlotPalette } from './plotPalette';
import { mixRgb } from './plotPalette';
import { sampleValueGrid } from './valueGrid';

/** One grid node per this many CSS pixels: fine enough for smooth contours, cheap enough to redo on resize. */
const nodeSpacing = 3;
const levelCount = { log: 16, quadratic: 24 } as const;

/**
 * The still part of the plot, drawn once per function, size and theme into its own canvas (device
 * pixels): filled bands between contour levels, tinted from --bg towards --accent as f falls, and the
 * level lines on top in --muted. Stepping through a trajectory then only copies this image.
 */
export function renderContourLayer(fn: TestFunction, frame: PlotFrame, palette: PlotPalette, pixelRatio: number): HTMLCanvasElement {
  const width = Math.max(1, Math.round(frame.width * pixelRatio));
  const height = Math.max(1, Math.round(frame.height * pixelRatio));
  const layer = document.createElement('canvas');
  layer.width = width;
  layer.height = height;
  const ctx = layer.getContext('2d');
  if (!ctx) return layer;

  const cols = Math.max(2, Math.ceil(frame.width / nodeSpacing) + 1);
  const rows = Math.max(2, Math.ceil(frame.height / nodeSpacing) + 1);
  const grid = sampleValueGrid(fn.value, frame.view, cols, rows);
  const levels = contourLevels(fn.levelSpacing, fn.minimumValue, grid.max, levelCount[fn.levelSpacing]);

  // Bands: one pixel per node, scaled up with smoothing; lowest band strongest.
  const bands = document.createElement('canvas');
  bands.width = cols;
  bands.height = rows;
  const bandCtx = bands.getContext('2d');
  if (bandCtx && levels.length > 0) {
    const image = bandCtx.createImageData(cols, rows);
    const shades = Array.from({ length: levels.length + 1 }, (_, band) =>
      mixRgb(palette.bg, palette.accent, 0.04 + 0.36 * (1 - band / levels.length) ** 1.5),
    );
    for (let k = 0; k < grid.values.length; k++) {
      const v = grid.values[k];
      const shade = Number.isFinite(v) ? shades[bandIndex(levels, v)] : palette.bg;
      image.data[4 * k] = shade.r;
      image.data[4 * k + 1] = shade.g;
      image.data[4 * k + 2] = shade.b;
      image.data[4 * k + 3] = 255;
    }
    bandCtx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    // Pixel centres of the first and last nodes land on the canvas edges, where those nodes were sampled.
    ctx.drawImage(bands, 0.5, 0.5, cols - 1, rows - 1, 0, 0, width, height);
  } else {
    ctx.fillStyle = palette.bgCss;
    ctx.fillRect(0, 0, width, height);
  }

  // Level lines, from grid coordinates to device pixels.
  const sx = width / (cols - 1);
  const sy = height / (rows - 1);
  ctx.strokeStyle = palette.mutedCss;
  ctx.globalAlpha = 0.55;
  ctx.lineWidth = Math.max(1, pixelRatio * 0.9);
  ctx.beginPath();
  for (const level of levels) {
    const segments = contourSegments(grid, level);
    for (let k = 0; k < segments.length; k += 4) {
      ctx.moveTo(segments[k] * sx, segments[k + 1] * sy);
      ctx.lineTo(segments[k + 2] * sx, segments[k + 3] * sy);
    }
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
  return layer;
}
