import { escapeHtml } from './htmlText';

/** One line of a plot; points with a non-finite coordinate (or ≤ 0 on a log axis) break the line. */
export interface PlotLine {
  label: string;
  color: string;
  /** An SVG stroke-dasharray ('' for solid): lines stay apart in a grey print. */
  dash: string;
  points: readonly { x: number; y: number }[];
  /** `steps`: a step function, each value held until the next x (performance profiles). */
  shape?: 'line' | 'steps';
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  lines: readonly PlotLine[];
  /** Default: the data's range widened to whole ticks; a domain given is kept as it is. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Default: log when every y is positive and they span a factor of 10 or more. */
  yScale?: 'linear' | 'log';
}

const width = 560;
/** The plotting area's box; below it the x ticks and label, then the legend. */
const box = { left: 64, right: width - 20, top: 34, bottom: 34 + 240 };
const legendTop = box.bottom + 50;
const legendRowHeight = 20;
/** A line is marked with dots where it has this few points (sparse validation curves). */
const markerThreshold = 30;

/** Every value positive and spanning at least a decade. */
export function prefersLog(values: readonly number[]): boolean {
  const finite = values.filter(Number.isFinite);
  return finite.length > 1 && finite.every((v) => v > 0) && Math.max(...finite) / Math.min(...finite) >= 10;
}

/** An inline SVG line plot (no script, font or link): title, axes with ticks and labels, grid, legend. */
export function renderSvgPlot(spec: PlotSpec): string {
  const xs = spec.lines.flatMap((l) => l.points.map((p) => p.x)).filter(Number.isFinite);
  const ys = spec.lines.flatMap((l) => l.points.map((p) => p.y)).filter(Number.isFinite);
  const yLog = (spec.yScale ?? (prefersLog(ys) ? 'log' : 'linear')) === 'log';
  const x = linearAxis(spec.xDomain ?? range(xs), spec.xDomain === undefined);
  const y = yLog ? logAxis(spec.yDomain ?? range(ys.filter((v) => v > 0))) : linearAxis(spec.yDomain ?? range(ys), spec.yDomain === undefined);
  const { left, right, top, bottom } = box;
  const px = (v: number) => left + ((x.toUnit(v) - x.lo) / (x.hi - x.lo)) * (right - left);
  const py = (v: number) => bottom - ((y.toUnit(v) - y.lo) / (y.hi - y.lo)) * (bottom - top);
  const legend = legendLayout(spec.lines, left, right);
  const height = legendTop + legend.rows * legendRowHeight + 4;
  const out: string[] = [];
  out.push(`<svg class="plot" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(spec.title)}">`);
  out.push(`<title>${escapeHtml(spec.title)}</title>`);
  out.push(`<text class="plot-title" x="${left}" y="20">${escapeHtml(spec.title)}</text>`);
  for (const t of y.ticks) {
    const v = f(py(t));
    out.push(`<line class="grid" x1="${left}" x2="${right}" y1="${v}" y2="${v}"/>`);
    out.push(`<text class="tick" x="${left - 6}" y="${v}" text-anchor="end" dominant-baseline="middle">${formatTick(t)}</text>`);
  }
  for (const t of x.ticks) {
    const h = f(px(t));
    out.push(`<line class="axis" x1="${h}" x2="${h}" y1="${bottom}" y2="${bottom + 5}"/>`);
    out.push(`<text class="tick" x="${h}" y="${bottom + 18}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  out.push(`<rect class="frame" x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/>`);
  out.push(`<text class="axis-label" x="${(left + right) / 2}" y="${bottom + 38}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`);
  out.push(`<text class="axis-label" transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}${yLog ? ' (log scale)' : ''}</text>`);
  for (const line of spec.lines) {
    const inDomain = (p: { x: number; y: number }) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!yLog || p.y > 0);
    const dash = line.dash === '' ? '' : ` stroke-dasharray="${line.dash}"`;
    for (const segment of segments(line.points, inDomain)) {
      const d = segment.map((p, i) => {
        const point = `${f(px(p.x))} ${f(py(p.y))}`;
        if (i === 0) return `M${point}`;
        return line.shape === 'steps' ? `H${f(px(p.x))} V${f(py(p.y))}` : `L${point}`;
      });
      out.push(`<path class="series" d="${d.join(' ')}" stroke="${line.color}"${dash}/>`);
    }
    if (line.points.length <= markerThreshold && line.shape !== 'steps') {
      for (const p of line.points.filter(inDomain)) out.push(`<circle cx="${f(px(p.x))}" cy="${f(py(p.y))}" r="3" fill="${line.color}"/>`);
    }
  }
  legend.entries.forEach(({ line, x: lx, row }) => {
    const ly = legendTop + legendRowHeight / 2 + row * legendRowHeight;
    const dash = line.dash === '' ? '' : ` stroke-dasharray="${line.dash}"`;
    out.push(`<line class="series" x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${line.color}"${dash}/>`);
    out.push(`<text class="legend" x="${lx + 30}" y="${ly}" dominant-baseline="middle">${escapeHtml(line.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

interface Axis {
  /** The domain in axis units (log10 of the value on a log axis). */
  lo: number;
  hi: number;
  toUnit(v: number): number;
  ticks: number[];
}

function range(values: readonly number[]): [number, number] {
  return values.length === 0 ? [0, 1] : [Math.min(...values), Math.max(...values)];
}

/** Ticks at 1, 2, 2.5 or 5 × 10^k, about five of them; with `widen`, the domain is widened to whole ticks. */
function linearAxis([lo, hi]: [number, number], widen: boolean): Axis {
  if (lo === hi) [lo, hi] = lo === 0 ? [-1, 1] : [lo - Math.abs(lo) / 10, hi + Math.abs(hi) / 10];
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  if (widen) [lo, hi] = [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(t);
  return { lo, hi, toUnit: (v) => v, ticks };
}

/** Padded a little beyond the data; ticks at 1, 2, 5 × 10^k over up to three decades, at 10^k beyond. */
function logAxis([lo, hi]: [number, number]): Axis {
  let a = Math.log10(lo);
  let b = Math.log10(hi);
  if (a === b) [a, b] = [a - 0.5, b + 0.5];
  const pad = (b - a) * 0.04;
  [a, b] = [a - pad, b + pad];
  const mantissas = b - a <= 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let k = Math.floor(a); k <= Math.ceil(b); k++) {
    for (const m of mantissas) {
      const t = m * 10 ** k;
      if (Math.log10(t) >= a && Math.log10(t) <= b) ticks.push(t);
    }
  }
  return { lo: a, hi: b, toUnit: Math.log10, ticks };
}

function formatTick(v: number): string {
  const clean = Number(v.toPrecision(10));
  const abs = Math.abs(clean);
  return abs !== 0 && (abs >= 1e6 || abs < 1e-4) ? clean.toExponential().replace('e+', 'e') : String(clean);
}

/** Runs of consecutive points that pass `keep`. */
function segments<P>(points: readonly P[], keep: (p: P) => boolean): P[][] {
  const out: P[][] = [[]];
  for (const p of points) {
    if (keep(p)) out.at(-1)!.push(p);
    else if (out.at(-1)!.length > 0) out.push([]);
  }
  return out.filter((s) => s.length > 0);
}

/** Legend entries left to right under the plot, wrapping; widths estimated from the label's length. */
function legendLayout(lines: readonly PlotLine[], left: number, right: number) {
  const entries: { line: PlotLine; x: number; row: number }[] = [];
  let x = left;
  let row = 0;
  for (const line of lines) {
    const w = 30 + 7 * line.label.length + 18;
    if (x > left && x + w > right) [x, row] = [left, row + 1];
    entries.push({ line, x, row });
    x += w;
  }
  return { entries, rows: lines.length === 0 ? 0 : row + 1 };
}

/** Coordinates to two decimals keep the file small. */
function f(v: number): string {
  return String(Math.round(v * 100) / 100);
}
