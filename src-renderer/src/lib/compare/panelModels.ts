import type { RunCurves } from '$api/labApi';
import { bandEdges, bandKinds, countChanges, type BandKind, type CountChange } from './bandStatistics';
import { alignCurves, type XYLine } from './curveAlignment';
import type { PanelSource, PanelSpec } from './comparePanels';
import { smoothDebiasedEma } from './emaSmoothing';
import { panelOptionsFor, type PanelOptionOverrides, type PanelOptions } from './panelOptions';
import type { PlotEntry } from './runGrouping';
import { curvePointX, epochPointX, type XAxisKind } from './xAxis';

/** A point as Chart.js takes it with `parsing: false`. */
export interface PlotPoint {
  x: number;
  y: number;
}

/**
 * `line`: the curve itself (smoothed when smoothing is on; a group's mean). `raw`: the unsmoothed curve,
 * drawn faint behind. `band-min`/`band-max`: the edges of a group's band across its runs (bandStatistics).
 */
export type DatasetRole = 'line' | 'raw' | 'band-min' | 'band-max';

export interface PlotDataset {
  /** Stable across refetches (`<entry key>|<role>`): the chart updates the dataset with this id in place. */
  id: string;
  entryKey: string;
  label: string;
  color: string;
  role: DatasetRole;
  points: PlotPoint[];
  /** A group's line only: where the number of runs behind it changes (runs that ended early, or started late). */
  counts?: CountChange[];
}

export interface PanelModel extends PanelSpec {
  /** Smoothing applies to per-step series only (see buildPanelModels). */
  smoothed: boolean;
  datasets: PlotDataset[];
  // The three below are always set by buildPanelModels; optional for panels made by hand (exports, tests).
  /** The panel's own settings (panelOptionsFor); absent: not smoothed, linear y. */
  options?: PanelOptions;
  /** On a log axis: how many of the runs' points are ≤ 0 and so not drawn (the panel says so). */
  hiddenOnLog?: number;
  /** The one value every run's every point has (a fixed learning rate): shown as a note, not a chart. */
  constant?: number | null;
}

export interface PlotSettings {
  xAxis: XAxisKind;
  /** EMA weight in [0, 1); 0 is off. */
  smoothing: number;
  logY: boolean;
  showBand: boolean;
  band: BandKind;
  /** Per-panel settings the user changed; `logY` above is the default for the others. */
  panelOptions?: PanelOptionOverrides;
}

/**
 * Turns the fetched curves into what each panel draws. Plain objects and arrays only: Chart.js gets
 * them as they are (never through a Svelte proxy).
 *
 * - Smoothing (debiased EMA) applies to per-step series; per-epoch validation points are already means
 *   over the whole validation set, and there are too few of them for an EMA to mean anything. When it
 *   is on, the raw curve is kept as a second, faint dataset.
 * - A group: each run is smoothed on its own, then the runs are aligned (alignCurves) and reduced. The
 *   line is the mean of the smoothed runs, the faint raw line the mean of the raw runs, and the band
 *   (`settings.band`: min–max, SD, SE or 95 % interval) spreads over the smoothed runs (with smoothing off,
 *   the raw runs). A group of one run has no band. The line carries the run count where it changes.
 * - Log y: points with y ≤ 0 (or not finite) are left out, since a log axis cannot show them; a band
 *   point is left out when its low edge is ≤ 0, from both edges, so the band stays closed.
 * - An entry with no points in a panel (an SGD run in CurveBall's ρ panel) has no datasets there.
 */
export function buildPanelModels(
  panels: readonly PanelSpec[],
  entries: readonly PlotEntry[],
  curves: ReadonlyMap<number, RunCurves>,
  settings: PlotSettings,
): PanelModel[] {
  return panels.map((panel) => {
    const options = panelOptionsFor(panel, settings.panelOptions, settings.logY);
    const panelSettings = { ...settings, logY: options.logY };
    const smoothed = panel.source.kind === 'step' && settings.smoothing > 0 && options.smooth;
    const datasets: PlotDataset[] = [];
    const allLines: XYLine[] = [];
    for (const entry of entries) {
      const lines = entry.runIds.flatMap((id) => {
        const run = curves.get(id);
        return run ? [runLine(run, panel.source, settings.xAxis)] : [];
      });
      allLines.push(...lines);
      datasets.push(...entryDatasets(entry, lines, smoothed ? settings.smoothing : 0, panelSettings));
    }
    const hiddenOnLog = options.logY ? countNonPositive(allLines) : 0;
    return { ...panel, smoothed, options, datasets, hiddenOnLog, constant: constantValue(allLines) };
  });
}

function countNonPositive(lines: readonly XYLine[]): number {
  let count = 0;
  for (const line of lines) for (const y of line.ys) if (y <= 0) count++;
  return count;
}

/**
 * The value all these points share, or null when they differ or there are none. Equal to within
 * 1e-9 of the value, so a constant that went through float rounding still counts.
 */
export function constantValue(lines: readonly XYLine[]): number | null {
  let min = Infinity;
  let max = -Infinity;
  for (const line of lines)
    for (const y of line.ys) {
      if (!Number.isFinite(y)) return null;
      if (y < min) min = y;
      if (y > max) max = y;
      // Varying: no need to look further (most panels vary within their first points).
      if (!nearlyEqual(min, max)) return null;
    }
  return min <= max ? min : null;
}

/** Equal to within 1e-9 of their magnitude. */
function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(b - a) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

function entryDatasets(entry: PlotEntry, lines: XYLine[], smoothing: number, settings: PlotSettings): PlotDataset[] {
  const nonEmpty = lines.filter((l) => l.xs.length > 0);
  if (nonEmpty.length === 0) return [];
  const smoothedLines = smoothing > 0 ? nonEmpty.map((l) => ({ xs: l.xs, ys: smoothDebiasedEma(l.ys, smoothing) })) : nonEmpty;
  const make = (role: DatasetRole, points: PlotPoint[]): PlotDataset => ({
    id: `${entry.key}|${role}`,
    entryKey: entry.key,
    label: datasetLabel(entry, role, settings.band),
    color: entry.color,
    role,
    points: settings.logY ? points.filter(isLogPlottable) : points.filter(isFinitePoint),
  });

  const out: PlotDataset[] = [];
  if (!entry.grouped) {
    const line = nonEmpty[0];
    if (smoothing > 0) out.push(make('raw', zipPoints(line.xs, line.ys)));
    out.push(make('line', zipPoints(smoothedLines[0].xs, smoothedLines[0].ys)));
    return out.filter((d) => d.points.length > 0);
  }

  const aligned = alignCurves(smoothedLines);
  if (settings.showBand && entry.runIds.length > 1) {
    const edges = aligned.x.map((_, i) => bandEdges(settings.band, { mean: aligned.mean[i], min: aligned.min[i], max: aligned.max[i], sd: aligned.sd[i], count: aligned.count[i] }));
    const keep = edges.map((e) => !settings.logY || e.low > 0);
    out.push(make('band-min', zipPoints(aligned.x, edges.map((e) => e.low), keep)));
    out.push(make('band-max', zipPoints(aligned.x, edges.map((e) => e.high), keep)));
  }
  if (smoothing > 0) {
    const raw = alignCurves(nonEmpty);
    out.push(make('raw', zipPoints(raw.x, raw.mean)));
  }
  out.push({ ...make('line', zipPoints(aligned.x, aligned.mean)), counts: countChanges(aligned.x, aligned.count) });
  return out.filter((d) => d.points.length > 0);
}

function datasetLabel(entry: PlotEntry, role: DatasetRole, band: BandKind): string {
  const edge = bandKinds.find((b) => b.kind === band)!.edge;
  switch (role) {
    case 'line':
      return entry.grouped ? `${entry.label} (mean of ${entry.runIds.length})` : entry.label;
    case 'raw':
      return `${entry.label} (raw)`;
    case 'band-min':
      return `${entry.label} (${edge[0]})`;
    case 'band-max':
      return `${entry.label} (${edge[1]})`;
  }
}

/** One run's points for a panel, in the lab's order (by step). */
export function runLine(curves: RunCurves, source: PanelSource, xAxis: XAxisKind): XYLine {
  if (source.kind === 'step') {
    const points = curves.series[source.series] ?? [];
    return { xs: points.map((p) => curvePointX(p, xAxis)), ys: points.map((p) => p.value) };
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (const e of curves.epochs) {
    const value = e[source.field];
    if (value === null) continue;
    xs.push(epochPointX(e, xAxis));
    ys.push(value);
  }
  return { xs, ys };
}

/**
 * The x range over every panel, so that all panels line up on one shared x-axis; null when empty.
 * A range that starts just above 0 (passes or seconds of the first step: 2, 0.01) starts at 0
 * instead, so the axis begins at a round number where training began.
 */
export function sharedXRange(panels: readonly PanelModel[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  // A dataset's points are in x order: its first and last points are its extent.
  for (const panel of panels)
    for (const { points } of panel.datasets) {
      if (points.length === 0) continue;
      if (points[0].x < min) min = points[0].x;
      if (points[points.length - 1].x > max) max = points[points.length - 1].x;
    }
  if (min > max) return null;
  return { min: min > 0 && min <= 0.05 * max ? 0 : min, max };
}

/**
 * y bounds for a panel whose values are all (nearly) equal, such as a constant learning rate: left
 * alone, the chart would either zoom into rounding noise or spread ±1 around the value. The value is
 * centred with ±10% (±1 around 0); on a log axis, a factor of 2 either way. Null when the values vary
 * (the chart fits them) or there are none.
 */
export function flatYBounds(panel: PanelModel, logY: boolean): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const d of panel.datasets)
    for (const p of d.points) {
      if (p.y < min) min = p.y;
      if (p.y > max) max = p.y;
      if (!nearlyEqual(min, max)) return null;
    }
  if (min > max) return null;
  const value = (min + max) / 2;
  if (logY && value > 0) return { min: value / 2, max: value * 2 };
  const pad = value === 0 ? 1 : Math.abs(value) * 0.1;
  return { min: value - pad, max: value + pad };
}

function zipPoints(xs: readonly number[], ys: readonly number[], keep?: readonly boolean[]): PlotPoint[] {
  const out: PlotPoint[] = [];
  for (let i = 0; i < xs.length; i++) if (!keep || keep[i]) out.push({ x: xs[i], y: ys[i] });
  return out;
}

function isFinitePoint(p: PlotPoint): boolean {
  return Number.isFinite(p.x) && Number.isFinite(p.y);
}

function isLogPlottable(p: PlotPoint): boolean {
  return isFinitePoint(p) && p.y > 0;
}
