/**
 * A Compare panel as a vector drawing for publication exports (SVG, PDF, and PNG rasterised from the
 * SVG): built from the panel's data, not from its canvas, on a white page with dark text whatever the
 * theme. Coordinates are points (1/72 in), y downwards, origin at the page's top left. The legend lists
 * only the curves the panel draws.
 */
import { formatCompact } from './compactNumber';
import { logTickLabels } from './logTickLabels';
import type { PanelModel, PlotPoint } from './panelModels';
import { xAxisLabel, type XAxisKind } from './xAxis';

export type FigureShape =
  | { kind: 'polyline'; points: [number, number][]; color: string; width: number; opacity: number; dataset: string }
  | { kind: 'polygon'; points: [number, number][]; color: string; opacity: number }
  | { kind: 'line'; from: [number, number]; to: [number, number]; color: string; width: number }
  | { kind: 'text'; at: [number, number]; text: string; size: number; color: string; anchor: 'start' | 'middle' | 'end'; bold?: boolean };

export interface Figure {
  width: number;
  height: number;
  background: string;
  shapes: FigureShape[];
}

export interface FigureOptions {
  xAxis: XAxisKind;
  logY: boolean;
  /** The x-range the panel shows (null: its data's). */
  xRange?: { min: number; max: number } | null;
}

const ink = '#1f2328';
const grid = '#d9dde3';
const width = 640;
const plotHeight = 320;
const margin = { left: 64, right: 16, top: 36, bottom: 44 };
const legendLine = 16;
const fontSize = 11;

export function panelFigure(panel: PanelModel, options: FigureOptions): Figure {
  const drawn = panel.datasets.filter((d) => d.points.some((p) => usable(p, options.logY)));
  const legend = uniqueBy(drawn.filter((d) => d.role === 'line'), (d) => d.entryKey);
  const height = margin.top + plotHeight + margin.bottom + legend.length * legendLine + (legend.length > 0 ? 8 : 0);
  const plot = { left: margin.left, top: margin.top, right: width - margin.right, bottom: margin.top + plotHeight };
  const shapes: FigureShape[] = [{ kind: 'text', at: [margin.left, 20], text: panel.title, size: 13, color: ink, anchor: 'start', bold: true }];

  const points = drawn.flatMap((d) => d.points.filter((p) => usable(p, options.logY)));
  const xs = options.xRange ? [options.xRange.min, options.xRange.max] : points.map((p) => p.x);
  const [x0, x1] = spread(xs);
  const ys = points.map((p) => (options.logY ? Math.log10(p.y) : p.y));
  const [y0, y1] = spread(ys);
  const xTicks = linearTicks(x0, x1, 6);
  const yTicks = options.logY ? logTicks(y0, y1) : linearTicks(y0, y1, 5).map((v) => ({ value: v, label: formatCompact(v) }));
  const xMin = Math.min(x0, xTicks[0] ?? x0);
  const xMax = Math.max(x1, xTicks.at(-1) ?? x1);
  const yMin = Math.min(y0, yTicks[0]?.value ?? y0);
  const yMax = Math.max(y1, yTicks.at(-1)?.value ?? y1);
  const px = (x: number): number => round(plot.left + ((x - xMin) / (xMax - xMin)) * (plot.right - plot.left));
  const py = (y: number): number => round(plot.bottom - ((y - yMin) / (yMax - yMin)) * (plot.bottom - plot.top));
  const yOf = (p: PlotPoint): number => py(options.logY ? Math.log10(p.y) : p.y);

  for (const tick of xTicks) {
    shapes.push({ kind: 'line', from: [px(tick), plot.top], to: [px(tick), plot.bottom], color: grid, width: 0.5 });
    shapes.push({ kind: 'text', at: [px(tick), plot.bottom + 14], text: formatCompact(tick), size: fontSize, color: ink, anchor: 'middle' });
  }
  for (const tick of yTicks) {
    shapes.push({ kind: 'line', from: [plot.left, py(tick.value)], to: [plot.right, py(tick.value)], color: grid, width: 0.5 });
    if (tick.label !== '') shapes.push({ kind: 'text', at: [plot.left - 6, py(tick.value) + 4], text: tick.label, size: fontSize, color: ink, anchor: 'end' });
  }
  shapes.push({ kind: 'line', from: [plot.left, plot.bottom], to: [plot.right, plot.bottom], color: ink, width: 1 });
  shapes.push({ kind: 'line', from: [plot.left, plot.top], to: [plot.left, plot.bottom], color: ink, width: 1 });
  shapes.push({ kind: 'text', at: [(plot.left + plot.right) / 2, plot.bottom + 32], text: xAxisLabel(options.xAxis), size: fontSize, color: ink, anchor: 'middle' });

  const inRange = (p: PlotPoint): boolean => p.x >= xMin && p.x <= xMax;
  for (const band of drawn.filter((d) => d.role === 'band-min')) {
    const upper = drawn.find((d) => d.role === 'band-max' && d.entryKey === band.entryKey);
    if (!upper) continue;
    const lower = band.points.filter((p) => usable(p, options.logY) && inRange(p)).map((p): [number, number] => [px(p.x), yOf(p)]);
    const top = upper.points.filter((p) => usable(p, options.logY) && inRange(p)).map((p): [number, number] => [px(p.x), yOf(p)]);
    shapes.push({ kind: 'polygon', points: [...lower, ...top.reverse()], color: band.color, opacity: 0.18 });
  }
  for (const d of drawn.filter((d) => d.role === 'raw' || d.role === 'line')) {
    const line = d.points.filter((p) => usable(p, options.logY) && inRange(p)).map((p): [number, number] => [px(p.x), yOf(p)]);
    if (line.length > 0) shapes.push({ kind: 'polyline', points: line, color: d.color, width: d.role === 'line' ? 1.5 : 1, opacity: d.role === 'line' ? 1 : 0.3, dataset: d.id });
  }

  legend.forEach((d, i) => {
    const y = plot.bottom + margin.bottom + 4 + i * legendLine;
    shapes.push({ kind: 'line', from: [plot.left, y + 8], to: [plot.left + 18, y + 8], color: d.color, width: 2.5 });
    shapes.push({ kind: 'text', at: [plot.left + 24, y + 12], text: d.label, size: fontSize, color: ink, anchor: 'start' });
  });
  return { width, height, background: '#ffffff', shapes };
}

/** Ticks at 1, 2 or 5 × 10^n spaced, about `count` of them, covering [min, max]. */
export function linearTicks(min: number, max: number, count: number): number[] {
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let k = Math.floor(min / step); k * step <= max + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks.filter((t) => t >= min - step * 1e-9);
}

/** Ticks of a log axis given in log10 units: each 1…9 × 10^n inside, labelled as logTickLabels says. */
function logTicks(min: number, max: number): { value: number; label: string }[] {
  const values: number[] = [];
  for (let n = Math.floor(min); n <= Math.ceil(max); n++) for (let m = 1; m <= 9; m++) values.push(m * 10 ** n);
  const inside = values.filter((v) => Math.log10(v) >= min - 1e-9 && Math.log10(v) <= max + 1e-9);
  const labels = logTickLabels(inside);
  return inside.map((v, i) => ({ value: Math.log10(v), label: labels[i] ?? '' }));
}

function usable(p: PlotPoint, logY: boolean): boolean {
  return Number.isFinite(p.x) && Number.isFinite(p.y) && (!logY || p.y > 0);
}

/** The range of the values, widened when empty or flat so the axis has a length. */
function spread(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) / 2, hi + (Math.abs(hi) || 1) / 2];
  return [lo, hi];
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)) !== undefined);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
