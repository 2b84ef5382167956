import type { ChartTheme } from './chartTheme';
import { stackLayout } from './stackLayout';

export interface PanelImage {
  title: string;
  canvas: HTMLCanvasElement;
}

/** A legend line of the export: which colour is which run or group. */
export interface LegendLine {
  label: string;
  color: string;
}

/**
 * One PNG (a data: URL) of the given panels, stacked top to bottom under their titles, below a legend
 * (a coloured swatch and the label of each curve: the image has to explain its colours on its own), on
 * the theme's panel colour (a chart's own canvas is transparent, which would turn dark-theme text
 * invisible in an image viewer). Works at the canvases' device resolution.
 */
export function stackedPanelsPng(panels: readonly PanelImage[], legend: readonly LegendLine[], theme: ChartTheme): string {
  const scale = panels.length > 0 ? panels[0].canvas.width / (panels[0].canvas.clientWidth || panels[0].canvas.width) : 1;
  const fontPx = Math.round(14 * scale);
  const legendFontPx = Math.round(12 * scale);
  const legendLineHeight = Math.round(legendFontPx * 1.6);
  const layout = stackLayout(
    panels.map((p) => ({ width: p.canvas.width, height: p.canvas.height })),
    Math.round(fontPx * 1.8),
    Math.round(12 * scale),
    legend.length * legendLineHeight,
  );
  const out = document.createElement('canvas');
  out.width = Math.max(1, layout.width);
  out.height = Math.max(1, layout.height);
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.fillStyle = theme.panel;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.textBaseline = 'top';
  const left = Math.round(12 * scale);
  ctx.font = `${legendFontPx}px ${theme.fontFamily}`;
  legend.forEach((line, i) => {
    const y = left + i * legendLineHeight;
    ctx.fillStyle = line.color;
    ctx.fillRect(left, y + legendFontPx * 0.35, legendFontPx * 1.5, Math.max(2, legendFontPx * 0.3));
    ctx.fillStyle = theme.fg;
    ctx.fillText(line.label, left + legendFontPx * 2, y);
  });
  ctx.fillStyle = theme.fg;
  ctx.font = `600 ${fontPx}px ${theme.fontFamily}`;
  panels.forEach((panel, i) => {
    const slot = layout.slots[i];
    ctx.fillText(panel.title, left, slot.titleY);
    ctx.drawImage(panel.canvas, left, slot.imageY);
  });
  return out.toDataURL('image/png');
}

/**
 * An SVG (a figure of `width` × `height` points) rasterised at `scale` pixels per point, as a PNG data:
 * URL: a publication PNG at 2× or 3× with the SVG's own light page, whatever the screen's theme.
 */
export async function svgPng(svg: string, width: number, height: number, scale: number): Promise<string> {
  const image = new Image();
  // A data: URL, as the page's Content-Security-Policy allows images from (not blob:).
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const out = document.createElement('canvas');
  out.width = Math.round(width * scale);
  out.height = Math.round(height * scale);
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.drawImage(image, 0, 0, out.width, out.height);
  return out.toDataURL('image/png');
}
