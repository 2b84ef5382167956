/**
 * The Compare view's settings as URL query parameters (beside `runs`, which the route keeps), so a
 * reload keeps the view and a link shares it: `x=epoch&smooth=0.3&log=1&group=optimizer&band=1&spread=sd&hide=…`,
 * the linked panels' zoom as `zoom=<min>_<max>`, and each panel's own settings as `panel=<id>:<flag>,…`
 * (flags `log`/`linear`, `smooth`/`raw`, `unlinked`, and an unlinked panel's own zoom `<min>_<max>`).
 * Only settings that differ from the defaults are written; reading keeps each parameter it understands
 * and drops unknown or malformed ones, so an old or hand-edited link still opens.
 */
import { isBandKind, type BandKind } from './bandStatistics';
import type { XRange } from './chartZoom';
import type { PanelOptionOverrides, PanelOptions } from './panelOptions';
import { groupByValue, parseGroupBy, type GroupBy } from './runGrouping';
import { isXAxisKind, type XAxisKind } from './xAxis';

export interface CompareView {
  xAxis: XAxisKind;
  /** EMA weight in [0, maxSmoothing]. */
  smoothing: number;
  logY: boolean;
  /** A groupByValue. */
  groupBy: string;
  showBand: boolean;
  /** What a group's band spans. */
  band: BandKind;
  /** Legend entries switched off, by key. */
  hidden: string[];
  /** Each panel's own settings (the panel header's toggles), by panel id; panels absent take the defaults. */
  panels: Record<string, PanelUrlSettings>;
  /** The linked panels' x range; null: not zoomed. */
  zoom: XRange | null;
}

/** What the URL keeps of one panel: its overrides, whether its x range is its own (not linked), and that range. */
export interface PanelUrlSettings extends Partial<PanelOptions> {
  unlinked?: true;
  zoom?: XRange;
}

/** The state's settings this module reads and writes (CompareState has them). */
export interface CompareViewHost {
  xAxis: XAxisKind;
  smoothing: number;
  logY: boolean;
  groupBy: GroupBy;
  showBand: boolean;
  band: BandKind;
  hidden: ReadonlySet<string>;
  setSmoothing(weight: number): void;
  setGroupBy(value: string): void;
  /** Per-panel settings and zoom (ChartViewState). */
  chartView: { panelOptions: PanelOptionOverrides; unlinked: ReadonlySet<string>; linkedZoom: XRange | null; ownZooms: ReadonlyMap<string, XRange> };
}

export const defaultCompareView: CompareView = { xAxis: 'step', smoothing: 0.6, logY: false, groupBy: 'none', showBand: true, band: 'minmax', hidden: [], panels: {}, zoom: null };

/** Zoom ranges travel with six significant digits: finer than a pixel, and a short URL. */
function urlRange(range: XRange): XRange {
  return { min: Number(range.min.toPrecision(6)), max: Number(range.max.toPrecision(6)) };
}

/** Smoothing travels with two decimals: the slider's step. */
const smoothingDigits = 2;

export function compareViewOf(state: CompareViewHost): CompareView {
  return {
    xAxis: state.xAxis,
    smoothing: Number(state.smoothing.toFixed(smoothingDigits)),
    logY: state.logY,
    groupBy: groupByValue(state.groupBy),
    showBand: state.showBand,
    band: state.band,
    hidden: [...state.hidden],
    panels: panelSettingsOf(state.chartView),
    zoom: state.chartView.linkedZoom && urlRange(state.chartView.linkedZoom),
  };
}

function panelSettingsOf(chartView: CompareViewHost['chartView']): Record<string, PanelUrlSettings> {
  const panels: Record<string, PanelUrlSettings> = {};
  for (const [id, own] of chartView.panelOptions) {
    const settings: PanelUrlSettings = {};
    if (own.logY !== undefined) settings.logY = own.logY;
    if (own.smooth !== undefined) settings.smooth = own.smooth;
    if (Object.keys(settings).length > 0) panels[id] = settings;
  }
  for (const id of chartView.unlinked) {
    const own = chartView.ownZooms.get(id);
    panels[id] = { ...panels[id], unlinked: true, ...(own ? { zoom: urlRange(own) } : {}) };
  }
  return panels;
}

/** Sets what `view` gives: the grouping before the hidden entries (a new grouping shows every entry). */
export function applyCompareView(state: CompareViewHost, view: Partial<CompareView>): void {
  if (view.groupBy !== undefined && view.groupBy !== groupByValue(state.groupBy)) state.setGroupBy(view.groupBy);
  if (view.xAxis !== undefined) state.xAxis = view.xAxis;
  if (view.smoothing !== undefined) state.setSmoothing(view.smoothing);
  if (view.logY !== undefined) state.logY = view.logY;
  if (view.showBand !== undefined) state.showBand = view.showBand;
  if (view.band !== undefined) state.band = view.band;
  if (view.hidden !== undefined) state.hidden = new Set(view.hidden);
  if (view.panels !== undefined) {
    const entries = Object.entries(view.panels);
    state.chartView.panelOptions = new Map(entries.map(([id, { unlinked: _, zoom: __, ...own }]) => [id, own] as const).filter(([, own]) => Object.keys(own).length > 0));
    state.chartView.unlinked = new Set(entries.filter(([, settings]) => settings.unlinked).map(([id]) => id));
    state.chartView.ownZooms = new Map(entries.flatMap(([id, settings]) => (settings.unlinked && settings.zoom ? [[id, settings.zoom] as const] : [])));
  }
  if (view.zoom !== undefined) state.chartView.linkedZoom = view.zoom;
}

/** The query (without `?`) for the settings that differ from the defaults, in a fixed order. */
export function formatCompareView(view: CompareView): string {
  const params = new URLSearchParams();
  const d = defaultCompareView;
  if (view.xAxis !== d.xAxis) params.set('x', view.xAxis);
  if (view.smoothing !== d.smoothing) params.set('smooth', String(view.smoothing));
  if (view.logY !== d.logY) params.set('log', view.logY ? '1' : '0');
  if (view.groupBy !== d.groupBy) params.set('group', view.groupBy);
  if (view.showBand !== d.showBand) params.set('band', view.showBand ? '1' : '0');
  if (view.band !== d.band) params.set('spread', view.band);
  if (view.zoom) params.set('zoom', rangeText(view.zoom));
  for (const key of view.hidden) params.append('hide', key);
  for (const [id, settings] of Object.entries(view.panels)) {
    const flags = [
      ...(settings.logY === undefined ? [] : [settings.logY ? 'log' : 'linear']),
      ...(settings.smooth === undefined ? [] : [settings.smooth ? 'smooth' : 'raw']),
      ...(settings.unlinked ? ['unlinked'] : []),
      ...(settings.zoom ? [rangeText(settings.zoom)] : []),
    ];
    if (flags.length > 0) params.append('panel', `${id}:${flags.join(',')}`);
  }
  return params.toString();
}

/**
 * The full view a query describes: each setting it gives well-formed, the default for the rest. Unknown
 * parameters (`runs` among them) and malformed values are ignored.
 */
export function parseCompareView(query: string): CompareView {
  const params = new URLSearchParams(query.replace(/^\?/, ''));
  const view: CompareView = { ...defaultCompareView, hidden: params.getAll('hide').filter((key) => key !== ''), panels: panelSettings(params.getAll('panel')) };
  const x = params.get('x');
  if (x !== null && isXAxisKind(x)) view.xAxis = x;
  const smooth = params.get('smooth');
  if (smooth !== null && /^\d*\.?\d+$/.test(smooth) && Number(smooth) <= 1) view.smoothing = Number(smooth);
  const log = flag(params.get('log'));
  if (log !== null) view.logY = log;
  const group = params.get('group');
  if (group !== null && parseGroupBy(group) !== null) view.groupBy = group;
  const band = flag(params.get('band'));
  if (band !== null) view.showBand = band;
  const spread = params.get('spread');
  if (spread !== null && isBandKind(spread)) view.band = spread;
  view.zoom = parseRange(params.get('zoom') ?? '');
  return view;
}

function rangeText(range: XRange): string {
  return `${range.min}_${range.max}`;
}

/** `<min>_<max>` with min < max, both finite numbers; null for anything else. */
function parseRange(text: string): XRange | null {
  const match = /^([-+.\deE]+)_([-+.\deE]+)$/.exec(text);
  if (!match) return null;
  const [min, max] = [Number(match[1]), Number(match[2])];
  return Number.isFinite(min) && Number.isFinite(max) && min < max ? { min, max } : null;
}

/** `panel=<id>:<flag>,…` values: an id (which may hold colons: the flags follow the last) and known flags; the rest is ignored. */
function panelSettings(values: string[]): Record<string, PanelUrlSettings> {
  const panels: Record<string, PanelUrlSettings> = {};
  for (const value of values) {
    const colon = value.lastIndexOf(':');
    const id = value.slice(0, colon);
    if (colon <= 0) continue;
    const settings: PanelUrlSettings = {};
    for (const f of value.slice(colon + 1).split(',')) {
      if (f === 'log' || f === 'linear') settings.logY = f === 'log';
      else if (f === 'smooth' || f === 'raw') settings.smooth = f === 'smooth';
      else if (f === 'unlinked') settings.unlinked = true;
      else {
        const zoom = parseRange(f);
        if (zoom) settings.zoom = zoom;
      }
    }
    if (Object.keys(settings).length > 0) panels[id] = settings;
  }
  return panels;
}

function flag(value: string | null): boolean | null {
  return value === '1' ? true : value === '0' ? false : null;
}
