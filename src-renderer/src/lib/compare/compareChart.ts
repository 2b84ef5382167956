import { Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, type Plugin } from 'chart.js';
import type { ChartTheme } from './chartTheme';
import type { XRange } from './chartZoom';
import { formatCompact } from './compactNumber';
import { logTickLabels } from './logTickLabels';
import { paintCurves } from './curvePainter';
import { flatYBounds, type PanelModel, type PlotPoint } from './panelModels';
import { xAxisLabel, type XAxisKind } from './xAxis';
import { robustYRange, visibleYExtent } from './yClipping';

export interface CompareChartView {
  panel: PanelModel;
  xAxis: XAxisKind;
  /** The x range shown: the zoom, or the panel's own data extent; null lets the chart fit its data. */
  xRange: XRange | null;
  theme: ChartTheme;
}

/** What each chart paints over its grid (curvePainter): the panel's datasets, and whether its y range is clipped. */
const paintings = new WeakMap<Chart, { datasets: PanelModel['datasets']; clipped: boolean }>();

const curvePainting: Plugin<'line'> = {
  id: 'compareCurves',
  beforeDatasetsDraw(chart) {
    const painting = paintings.get(chart);
    const { x, y } = chart.scales;
    if (!painting || !x || !y) return;
    const { left, right, top, bottom } = chart.chartArea;
    const area = { left, right, top, bottom, x: (v: number) => x.getPixelForValue(v), y: (v: number) => y.getPixelForValue(v), xMin: x.min, xMax: x.max };
    paintCurves(chart.ctx, area, painting.datasets, painting.clipped);
  },
};

let registered = false;
/** Registers only the Chart.js pieces the compare view uses (tree-shaken build), once. */
function registerChartParts(): void {
  if (registered) return;
  Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale);
  registered = true;
}

/**
 * Creates a panel's chart, empty (drawCompareChart gives it its data): no animation, and Chart.js
 * draws only the axes and grid, listening to no pointer events at all (`events: []`). The curves are
 * painted by curvePainter, zoom, pan and hover are handled by the panel, and the hover readout is
 * drawn on an overlay (hoverOverlay.ts), so a mouse move never redraws the chart.
 */
export function createCompareChart(canvas: HTMLCanvasElement): Chart<'line', PlotPoint[]> {
  registerChartParts();
  return new Chart<'line', PlotPoint[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      events: [],
      scales: { x: { type: 'linear' }, y: { type: 'linear' } },
    },
    plugins: [curvePainting],
  });
}

/** What a redraw found: whether the y range leaves outliers out (the panel says so). */
export interface ChartDrawn {
  yClipped: boolean;
}

/**
 * Draws the panel at the view's x range: the y range follows the visible points (outliers left out,
 * yClipping; a constant widened, flatYBounds), Chart.js lays out and draws the axes in one
 * `update('none')`, and the curves are painted over the grid.
 */
export function drawCompareChart(chart: Chart<'line', PlotPoint[]>, view: CompareChartView): ChartDrawn {
  const { panel, xAxis, xRange, theme } = view;
  const logY = panel.options?.logY ?? false;
  const grid = { color: theme.border };
  const curves = panel.datasets.map((d) => d.points);
  const flat = flatYBounds(panel, logY);
  const robust = flat ? null : robustYRange(curves, xRange, logY);
  const yBounds = flat ?? robust;
  // Unclipped, the axis spans the visible points and rounds out to its ticks, as a fitted axis does.
  const fitted = yBounds ? null : visibleYExtent(curves, xRange, logY);
  paintings.set(chart, { datasets: panel.datasets, clipped: robust !== null });
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
      suggestedMin: fitted?.min,
      suggestedMax: fitted?.max,
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
