import type { RunCurves } from '$api/labApi';
import { alignCurves, type XYLine } from './curveAlignment';
import type { PanelSource, PanelSpec } from './comparePanels';
import { smoothDebiasedEma } from './emaSmoothing';
import type { PlotEntry } from './runGrouping';
import { curvePointX, epochPointX, type XAxisKind } from './xAxis';

/** A point as Chart.js takes it with `parsing: false`. */
export interface PlotPoint {
  x: number;
  y: number;
}

/**
 * `line`: the curve itself (smoothed when smoothing is on; a group's mean). `raw`: the unsmoothed curve,
 * drawn faint behind. `band-min`/`band-max`: a group's min–max band across its runs.
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
}

export interface PanelModel extends PanelSpec {
  /** Smoothing applies to per-step series only (see buildPanelModels). */
  smoothed: boolean;
  datasets: PlotDataset[];
}

export interface PlotSettings {
  xAxis: XAxisKind;
  /** EMA weight in [0, 1); 0 is off. */
  smoothing: number;
  logY: boolean;
  showBand: boolean;
}

/**
 * Turns the fetched curves into what each panel draws. Plain objects and arrays only: Chart.js gets
 * them as they are (never through a Svelte proxy).
 *
 * - Smoothing (debiased EMA) applies to per-step series; per-epoch validation points are already means
 *   over the whole validation set, and there are too few of them for an EMA to mean anything. When it
 *   is on, the raw curve is kept as a second, faint dataset.
 * - A group: each run is smoothed on its own, then the runs are aligned (alignCurves) and reduced. The
 *   line is the mean of the smoothed runs, the faint raw line the mean of the raw runs, and the band the
 *   min and max of the smoothed runs (with smoothing off, of the raw runs). A group of one run has no band.
 * - Log y: points with y ≤ 0 (or not finite) are left out, since a log axis cannot show them; a band
 *   point is left out when its min is ≤ 0, from both edges, so the band stays closed.
 * - An entry with no points in a panel (an SGD run in CurveBall's ρ panel) has no datasets there.
 */
export function buildPanelModels(
  panels: readonly PanelSpec[],
  entries: readonly PlotEntry[],
  curves: ReadonlyMap<number, RunCurves>,
  settings: PlotSettings,
): PanelModel[] {
  return panels.map((panel) => {
    const smoothed = panel.source.kind === 'step' && settings.smoothing > 0;
    const datasets: PlotDataset[] = [];
    for (const entry of entries) {
      const lines = entry.runIds.flatMap((id) => {
        const run = curves.get(id);
        return run ? [runLine(run, panel.source, settings.xAxis)] : [];
      });
      datasets.push(...entryDatasets(entry, lines, smoothed ? settings.smoothing : 0, settings));
    }
    return { ...panel, smoothed, datasets };
  });
}

function entryDatasets(entry: PlotEntry, lines: XYLine[], smoothing: number, settings: PlotSettings): PlotDataset[] {
  const nonEmpty = lines.filter((l) => l.xs.length > 0);
  if (nonEmpty.length === 0) return [];
  const smoothedLines = smoothing > 0 ? nonEmpty.map((l) => ({ xs: l.xs, ys: smoothDebiasedEma(l.ys, smoothing) })) : nonEmpty;
  const make = (role: DatasetRole, points: PlotPoint[]): PlotDataset => ({
    id: `${entry.key}|${role}`,
    entryKey: entry.key,
    label: datasetLabel(entry, role),
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
    const keep = aligned.x.map((_, i) => !settings.logY || aligned.min[i] > 0);
    out.push(make('band-min', zipPoints(aligned.x, aligned.min, keep)));
    out.push(make('band-max', zipPoints(aligned.x, aligned.max, keep)));
  }
  if (smoothing > 0) {
    const raw = alignCurves(nonEmpty);
    out.push(make('raw', zipPoints(raw.x, raw.mean)));
  }
  out.push(make('line', zipPoints(aligned.x, aligned.mean)));
  return out.filter((d) => d.points.length > 0);
}

function datasetLabel(entry: PlotEntry, role: DatasetRole): string {
  switch (role) {
    case 'line':
      return entry.grouped ? `${entry.label} (mean of ${entry.runIds.length})` : entry.label;
    case 'raw':
      return `${entry.label} (raw)`;
    case 'band-min':
      return `${entry.label} (min)`;
    case 'band-max':
      return `${entry.label} (max)`;
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
  for (const panel of panels)
    for (const d of panel.datasets)
      for (const p of d.points) {
        if (p.x < min) min = p.x;
        if (p.x > max) max = p.x;
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
    }
  if (min > max) return null;
  if (max - min > 1e-9 * Math.max(Math.abs(min), Math.abs(max))) return null;
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
