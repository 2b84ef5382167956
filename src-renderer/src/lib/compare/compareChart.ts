import {
  Chart,
  Decimation,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import type { ChartTheme } from './chartTheme';
import type { XRange } from './chartZoom';
import { formatCompact } from './compactNumber';
import { logTickLabels } from './logTickLabels';
import { withAlpha } from './palette';
import { flatYBounds, type DatasetRole, type PanelModel, type PlotPoint } from './panelModels';
import { xAxisLabel, type XAxisKind } from './xAxis';
import { robustYRange } from './yClipping';

/** A Chart.js line dataset that remembers which plotted dataset it shows, so updates go in place. */
type CompareDataset = ChartDataset<'line', PlotPoint[]> & { plotId: string; role: DatasetRole };

export interface CompareChartView {
  panel: PanelModel;
  xAxis: XAxisKind;
  /** The x range shown: the zoom, or the panel's own data extent; null lets the chart fit its data. */
  xRange: XRange | null;
  theme: ChartTheme;
}

/** Charts whose y range leaves outliers out, and so get markers where a curve leaves it. */
const clippedCharts = new WeakSet<Chart>();

/**
 * Where a curve leaves the clipped y range, a small triangle on the chart's top or bottom edge in the
 * curve's colour, pointing the way the curve went: clipped is never silently cut off.
 */
const outOfRangeMarkers: Plugin<'line'> = {
  id: 'compareOutOfRangeMarkers',
  afterDatasetsDraw(chart) {
    if (!clippedCharts.has(chart)) return;
    const { top, bottom, left, right } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    chart.data.datasets.forEach((dataset, i) => {
      if ((dataset as CompareDataset).role !== 'line' || !chart.isDatasetVisible(i)) return;
      ctx.fillStyle = String(dataset.borderColor);
      const elements = chart.getDatasetMeta(i).data;
      let wasOutside = 0;
      for (const element of elements) {
        const outside = element.y < top ? -1 : element.y > bottom ? 1 : 0;
        if (outside !== 0 && outside !== wasOutside && element.x >= left && element.x <= right) triangle(ctx, element.x, outside < 0 ? top : bottom, outside);
        wasOutside = outside;
      }
    });
    ctx.restore();
  },
};

function triangle(ctx: CanvasRenderingContext2D, x: number, edgeY: number, direction: number): void {
  const size = 5;
  ctx.beginPath();
  ctx.moveTo(x, edgeY + direction * size);
  ctx.lineTo(x - size, edgeY - direction * size);
  ctx.lineTo(x + size, edgeY - direction * size);
  ctx.closePath();
  ctx.fill();
}

let registered = false;
/** Registers only the Chart.js pieces the compare view uses (tree-shaken build), once. */
function registerChartParts(): void {
  if (registered) return;
  Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Decimation);
  registered = true;
}

/**
 * Creates a panel's chart: no animation, no parsing ({x, y} points), LTTB decimation for long series.
 * Chart.js listens to no pointer events at all (`events: []`): zoom, pan and hover are handled by the
 * panel, and the hover readout is drawn on an overlay (hoverOverlay.ts), so a mouse move never makes
 * Chart.js redraw the datasets.
 */
export function createCompareChart(canvas: HTMLCanvasElement, view: CompareChartView): Chart<'line', PlotPoint[]> {
  registerChartParts();
  const chart = new Chart<'line', PlotPoint[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      events: [],
      elements: { point: { radius: 0, hoverRadius: 0, hitRadius: 0 }, line: { tension: 0 } },
      scales: { x: { type: 'linear' }, y: { type: 'linear' } },
      plugins: { decimation: { enabled: true, algorithm: 'lttb' } },
    },
    plugins: [outOfRangeMarkers],
  });
  updateCompareChart(chart, view);
  return chart;
}

/** What a redraw found: whether the y range leaves outliers out (the panel says so). */
export interface ChartDrawn {
  yClipped: boolean;
}

/**
 * Brings a chart up to date without rebuilding it: datasets are matched by id and updated in place
 * (new ones added, gone ones dropped), axes and colours reset, then one `update('none')` (no animation).
 */
export function updateCompareChart(chart: Chart<'line', PlotPoint[]>, view: CompareChartView): ChartDrawn {
  const { panel } = view;
  const existing = new Map((chart.data.datasets as CompareDataset[]).map((d) => [d.plotId, d]));
  const next: CompareDataset[] = panel.datasets.map((pd) => {
    const dataset = existing.get(pd.id) ?? ({ plotId: pd.id, role: pd.role, data: [] } as unknown as CompareDataset);
    dataset.label = pd.label;
    dataset.role = pd.role;
    dataset.data = pd.points;
    Object.assign(dataset, datasetStyle(pd.role, pd.color));
    // Per-epoch curves of short runs have one or a few points: a line alone would not show them.
    if (pd.role === 'line') {
      dataset.pointRadius = pd.points.length <= sparsePointLimit ? 3 : 0;
      // A marker on the x range's edge (the last epoch) would be cut in half by the chart area.
      dataset.clip = dataset.pointRadius + 1;
    }
    return dataset;
  });
  // A band's upper edge fills down to its lower edge, which comes right before it.
  next.forEach((d, i) => {
    if (d.role === 'band-max' && next[i - 1]?.role === 'band-min') d.fill = { target: i - 1 };
  });
  chart.data.datasets = next;
  return zoomCompareChart(chart, view);
}

/**
 * Sets the axes only (the x range and the y range it implies) and redraws: what a zoom or pan step
 * needs, without touching the datasets.
 */
export function zoomCompareChart(chart: Chart<'line', PlotPoint[]>, view: CompareChartView): ChartDrawn {
  const { panel, xAxis, xRange, theme } = view;
  const logY = panel.options?.logY ?? false;
  const grid = { color: theme.border };
  const flat = flatYBounds(panel, logY);
  const robust = flat ? null : robustYRange(panel.datasets.map((d) => d.points), xRange, logY);
  const yBounds = flat ?? robust;
  if (robust) clippedCharts.add(chart);
  else clippedCharts.delete(chart);
  const ticks = { color: theme.muted, font: { family: theme.fontFamily } };
  chart.options.scales = {
    x: {
      type: 'linear',
      min: xRange?.min,
      max: xRange?.max,
      title: { display: true, text: xAxisLabel(xAxis), color: theme.muted, font: { family: theme.fontFamily } },
      // No ticks at the range's own ends: a zoomed view would label them 32.27 and 85.74.
      ticks: { ...ticks, maxTicksLimit: 8, includeBounds: false, callback: (value) => formatCompact(Number(value)) },
      grid,
    },
    y: {
      type: logY ? 'logarithmic' : 'linear',
      min: yBounds?.min,
      max: yBounds?.max,
      // A log axis labels a chosen few of its ticks (logTickLabel), so it must not skip ticks on its own.
      ticks: logY
        ? { ...ticks, autoSkip: false, callback: (_value, index, all) => logLabelsFor(all)[index] }
        : { ...ticks, maxTicksLimit: 6, includeBounds: false, callback: (value) => formatCompact(Number(value)) },
      grid,
    },
  };
  chart.update('none');
  return { yClipped: robust !== null };
}

/** The labels of one set of log ticks, computed once per set (Chart.js asks tick by tick). */
const logLabelCache = new WeakMap<readonly { value: number }[], string[]>();
function logLabelsFor(ticks: readonly { value: number }[]): string[] {
  let labels = logLabelCache.get(ticks);
  if (!labels) {
    labels = logTickLabels(ticks.map((t) => t.value));
    logLabelCache.set(ticks, labels);
  }
  return labels;
}

/** Lines with at most this many points get point markers. */
const sparsePointLimit = 12;

function datasetStyle(role: DatasetRole, color: string): Partial<CompareDataset> {
  switch (role) {
    case 'line':
      return { borderColor: color, backgroundColor: color, borderWidth: 1.75, fill: false, order: 0, pointHoverRadius: 3 };
    case 'raw':
      return { borderColor: withAlpha(color, 0.25), backgroundColor: withAlpha(color, 0.25), borderWidth: 1, fill: false, order: 1, pointHoverRadius: 0 };
    case 'band-min':
      return { borderColor: 'transparent', backgroundColor: 'transparent', borderWidth: 0, fill: false, order: 2, pointHoverRadius: 0 };
    case 'band-max':
      return { borderColor: 'transparent', backgroundColor: withAlpha(color, 0.24), borderWidth: 0, fill: false, order: 2, pointHoverRadius: 0 };
  }
}

