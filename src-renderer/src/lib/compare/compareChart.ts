import {
  Chart,
  Decimation,
  Filler,
  Interaction,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type InteractionItem,
  type InteractionModeFunction,
  type Plugin,
  type TooltipItem,
} from 'chart.js';
import { logTickLabels } from './logTickLabels';
import type { ChartTheme } from './chartTheme';
import { formatCompact } from './compactNumber';
import { nearestIndexByX } from './nearestIndex';
import { flatYBounds, type DatasetRole, type PanelModel, type PlotPoint } from './panelModels';
import { withAlpha } from './runColors';
import { formatXValue, xAxisLabel, type XAxisKind } from './xAxis';

declare module 'chart.js' {
  interface InteractionModeMap {
    /** For every visible curve, its point nearest to the pointer's x (see eachCurveAtX). */
    eachCurveAtX: InteractionModeFunction;
  }
}

/** A Chart.js line dataset that remembers which plotted dataset it shows, so updates go in place. */
type CompareDataset = ChartDataset<'line', PlotPoint[]> & { plotId: string; role: DatasetRole };

export interface CompareChartView {
  panel: PanelModel;
  xAxis: XAxisKind;
  logY: boolean;
  /** The x range shared by all panels, so they line up; null lets the chart fit its own data. */
  xRange: { min: number; max: number } | null;
  theme: ChartTheme;
}

/** How far (px) past a curve's first or last point the hover still reads it. */
const hoverTolerancePx = 12;
/** The hover line's colour per chart (the theme's muted text colour). */
const hoverLineColor = new WeakMap<Chart, string>();
/** The pointer's x in data units, per chart, for the tooltip's title. */
const hoverX = new WeakMap<Chart, number>();

/**
 * Hover readout "every curve at this x": for each visible curve, the point nearest the pointer's x
 * (curves of different runs rarely share x values, so Chart.js's 'index' mode would miss most of them,
 * and 'nearest' gives one curve only).
 */
const eachCurveAtX: InteractionModeFunction = (chart, event) => {
  const items: InteractionItem[] = [];
  if (event.x === null) return items;
  hoverX.set(chart, chart.scales.x.getValueForPixel(event.x) ?? Number.NaN);
  chart.data.datasets.forEach((_, datasetIndex) => {
    if (!chart.isDatasetVisible(datasetIndex)) return;
    const elements = chart.getDatasetMeta(datasetIndex).data;
    const index = nearestIndexByX(elements.length, (i) => elements[i].x, event.x!, hoverTolerancePx);
    if (index >= 0) items.push({ element: elements[index], datasetIndex, index });
  });
  return items;
};

/** A thin vertical line at the hovered x, so the readout's position is visible on every curve. */
const hoverLine: Plugin<'line'> = {
  id: 'compareHoverLine',
  afterDatasetsDraw(chart) {
    const active = chart.tooltip?.getActiveElements() ?? [];
    if (active.length === 0) return;
    const x = chart.tooltip!.caretX;
    const { top, bottom } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = hoverLineColor.get(chart) ?? '#888';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.restore();
  },
};

let registered = false;
/** Registers only the Chart.js pieces the compare view uses (tree-shaken build), once. */
function registerChartParts(): void {
  if (registered) return;
  Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Tooltip, Decimation);
  Interaction.modes.eachCurveAtX = eachCurveAtX;
  registered = true;
}

/** Creates a panel's chart: no animation, no parsing ({x, y} points), LTTB decimation for long series. */
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
      interaction: { mode: 'eachCurveAtX', intersect: false, axis: 'x' },
      elements: { point: { radius: 0, hoverRadius: 3, hitRadius: 0 }, line: { tension: 0 } },
      scales: { x: { type: 'linear' }, y: { type: 'linear' } },
      plugins: {
        decimation: { enabled: true, algorithm: 'lttb' },
        tooltip: {
          animation: false,
          // The band edges and the faint raw curves are context; the readout lists the curves themselves.
          filter: (item) => (item.dataset as CompareDataset).role === 'line',
          itemSort: (a, b) => b.parsed.y! - a.parsed.y!,
          callbacks: {},
        },
      },
    },
    plugins: [hoverLine],
  });
  updateCompareChart(chart, view);
  return chart;
}

/**
 * Brings a chart up to date without rebuilding it: datasets are matched by id and updated in place
 * (new ones added, gone ones dropped), axes and colours reset, then one `update('none')` (no animation).
 */
export function updateCompareChart(chart: Chart<'line', PlotPoint[]>, view: CompareChartView): void {
  const { panel, xAxis, logY, xRange, theme } = view;
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

  const grid = { color: theme.border };
  hoverLineColor.set(chart, theme.muted);
  const yBounds = flatYBounds(panel, logY);
  const ticks = { color: theme.muted, font: { family: theme.fontFamily } };
  chart.options.scales = {
    x: {
      type: 'linear',
      min: xRange?.min,
      max: xRange?.max,
      title: { display: true, text: xAxisLabel(xAxis), color: theme.muted, font: { family: theme.fontFamily } },
      ticks: { ...ticks, maxTicksLimit: 8, callback: (value) => formatCompact(Number(value)) },
      grid,
    },
    y: {
      type: logY ? 'logarithmic' : 'linear',
      min: yBounds?.min,
      max: yBounds?.max,
      // A log axis labels a chosen few of its ticks (logTickLabel), so it must not skip ticks on its own.
      ticks: logY
        ? { ...ticks, autoSkip: false, callback: (_value, index, all) => logLabelsFor(all)[index] }
        : { ...ticks, maxTicksLimit: 6, callback: (value) => formatCompact(Number(value)) },
      grid,
    },
  };
  const tooltip = chart.options.plugins!.tooltip!;
  tooltip.callbacks = {
    title: (items: TooltipItem<'line'>[]) => {
      const x = hoverX.get(chart) ?? items[0]?.parsed.x;
      return x === undefined || x === null || Number.isNaN(x) ? '' : `${xAxisLabel(xAxis)}: ${formatXValue(x, xAxis)}`;
    },
    label: (item: TooltipItem<'line'>) => ` ${item.dataset.label}: ${formatCompact(item.parsed.y ?? Number.NaN)}`,
  };
  chart.update('none');
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

