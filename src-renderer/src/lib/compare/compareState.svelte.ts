import type { CurvePoint, LabEvent, RunCurves, RunInfo, RunSeriesNames, StepRange } from '$api/labApi';
import { decodeRunCurves } from '../lab/decodeRunCurves';
import { nextTask } from './nextTask';
import { timelineMark } from './timelineMark';
import type { LabClient } from '../lab/labClient';
import { compareCsv } from './compareCsv';
import { panelSpecs } from './comparePanels';
import { ChartViewState } from './chartView.svelte';
import type { XRange } from './chartZoom';
import { buildPanelModels } from './panelModels';
import { RefreshThrottle } from './refreshThrottle';
import type { BandKind } from './bandStatistics';
import { groupByChoices, groupByKeys, groupByValue, groupingKeys, groupKeyChoices, parseGroupBy, plotEntries, type GroupBy } from './runGrouping';
import type { XAxisKind } from './xAxis';

export interface CompareOptions {
  /** Points per series asked of the lab: about one per pixel of a panel's plot, asked when the curves are fetched (the window may have changed). */
  maxPoints?: number | (() => number);
  /** Live refetches happen at most this often. */
  refreshIntervalMs?: number;
}

/** Decoding many runs yields to the page whenever it has taken this long (and once more before handing them over). */
const decodeSliceMs = 20;
/** As many runs as are decoded without turns: they take no time. */
const runsDecodedAtOnce = 10;
/** A zoom that has not changed for this long has settled: its range is fetched at full resolution. */
const zoomSettleMs = 250;
export const maxSmoothing = 0.99;

/**
 * The compare view's state: which runs are shown, their curves, and how they are drawn (x-axis,
 * smoothing, log y, grouping, band, hidden curves). Everything the chart needs is derived from it as
 * plain objects (`panels`), so Chart.js never sees a Svelte proxy: fetched data lives in `$state.raw`
 * and is replaced, never mutated.
 *
 * Live updates: `connect()` subscribes to the client's events; an event about a displayed run marks
 * it dirty, and dirty runs are refetched together, at most once per `refreshIntervalMs`.
 */
export class CompareState {
  runIds = $state.raw<number[]>([]);
  runs = $state.raw<RunInfo[]>([]);
  seriesNames = $state.raw<RunSeriesNames[]>([]);
  curves = $state.raw<ReadonlyMap<number, RunCurves>>(new Map());
  /** Selected ids the lab does not know (deleted meanwhile). */
  missingRunIds = $state.raw<number[]>([]);

  xAxis = $state<XAxisKind>('step');
  smoothing = $state(0.6);
  logY = $state(false);
  groupBy = $state.raw<GroupBy>({ kind: 'none' });
  showBand = $state(true);
  /** What the band spans: min–max, ± SD, ± SE or the 95 % interval of the mean (bandStatistics). */
  band = $state<BandKind>('minmax');
  /** Legend entries switched off. */
  hidden = $state.raw<ReadonlySet<string>>(new Set());
  /** Per-panel settings, zoom and hover (chartView.svelte.ts). */
  readonly chartView = new ChartViewState();

  loading = $state(false);
  error = $state<string | null>(null);

  readonly groupByChoices = $derived(groupByChoices(this.runs));
  readonly groupKeyChoices = $derived(groupKeyChoices(this.runs));
  /** The keys the current grouping pools by (none for none and config). */
  readonly groupKeys = $derived(groupingKeys(this.groupBy) ?? []);
  readonly groupByValue = $derived(groupByValue(this.groupBy));
  readonly entries = $derived(plotEntries(this.runs, this.groupBy));
  readonly panels = $derived(
    buildPanelModels(
      panelSpecs(this.seriesNames),
      this.entries.filter((e) => !this.hidden.has(e.key)),
      this.curves,
      { xAxis: this.xAxis, smoothing: this.smoothing, logY: this.logY, showBand: this.showBand, band: this.band, panelOptions: this.chartView.panelOptions },
    ),
  );

  private readonly maxPoints: () => number;
  private readonly throttle: RefreshThrottle;
  /** Bumped by every select(): answers to an older selection are dropped. */
  private generation = 0;
  private readonly dirty = new Set<number>();
  /** Bumped by every loadRange(): only the latest range is merged in. */
  private rangeRequest = 0;
  private zoomSettle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: LabClient,
    options: CompareOptions = {},
  ) {
    const maxPoints = options.maxPoints ?? 1000;
    this.maxPoints = typeof maxPoints === 'number' ? () => maxPoints : maxPoints;
    this.throttle = new RefreshThrottle(() => this.refreshDirty(), options.refreshIntervalMs ?? 1000);
    this.chartView.onZoomChange = (_panelId, range) => this.onZoom(range);
  }

  /**
   * A zoom on the step axis fetches the visible steps at full resolution once the wheel or drag has
   * settled (each zoom step only moves the axes); other axes keep the overview's points.
   */
  private onZoom(range: XRange | null): void {
    clearTimeout(this.zoomSettle);
    if (range === null || this.xAxis !== 'step') return;
    this.zoomSettle = setTimeout(() => void this.loadRange(range.min, range.max), zoomSettleMs);
  }

  /** Starts following the lab's events; returns the function that stops (and drops pending refetches). */
  connect(): () => void {
    const unsubscribe = this.client.subscribe((event) => this.onEvent(event));
    return () => {
      unsubscribe();
      this.throttle.dispose();
      clearTimeout(this.zoomSettle);
    };
  }

  /** Shows these runs: fetches their records, series names and curves. The same ids again is a no-op. */
  async select(runIds: readonly number[]): Promise<void> {
    const ids = [...new Set(runIds)];
    if (sameIds(ids, this.runIds) && !this.error && this.generation > 0) return;
    const generation = ++this.generation;
    this.dirty.clear();
    this.throttle.cancelPending();
    this.runIds = ids;
    this.error = null;
    if (ids.length === 0) {
      this.runs = [];
      this.seriesNames = [];
      this.curves = new Map();
      this.missingRunIds = [];
      return;
    }
    this.loading = true;
    try {
      // Both at once: the lab leaves out ids it does not know, so the curves need not wait for the records.
      const [all, { names, curves }] = await Promise.all([this.client.listRuns({}), this.fetchCurves(ids)]);
      const byId = new Map(all.map((r) => [r.id, r]));
      const runs = ids.flatMap((id) => byId.get(id) ?? []);
      const missing = ids.filter((id) => !byId.has(id));
      if (generation !== this.generation) return;
      this.runs = runs;
      this.missingRunIds = missing;
      this.seriesNames = names;
      this.curves = new Map(curves.map((c) => [c.runId, c]));
      timelineMark('compare: curves in place');
      // A zoom the view came with (a link) is fetched at full resolution like one the user made.
      if (this.chartView.linkedZoom) this.onZoom(this.chartView.linkedZoom);
    } catch (e) {
      if (generation === this.generation) this.error = `Could not load the runs' curves: ${messageOf(e)}`;
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  setXAxis(kind: XAxisKind): void {
    if (kind !== this.xAxis) this.chartView.resetZoom();
    this.xAxis = kind;
  }

  /** The slider's value, kept in [0, 0.99] (a weight of 1 would never move). */
  setSmoothing(weight: number): void {
    this.smoothing = Number.isFinite(weight) ? Math.min(maxSmoothing, Math.max(0, weight)) : 0;
  }

  /** Adds a key to the grouping or takes it out (the key checkboxes); config grouping starts from no keys. */
  toggleGroupKey(key: string): void {
    const keys = this.groupKeys.includes(key) ? this.groupKeys.filter((k) => k !== key) : [...this.groupKeys, key];
    this.setGroupBy(groupByValue(groupByKeys(keys)));
  }

  /** A `<select>` value from groupByChoices. */
  setGroupBy(value: string): void {
    const parsed = parseGroupBy(value);
    if (!parsed) throw new RangeError(`groupBy: expected none, optimizer, config or option:<name>, got ${JSON.stringify(value)} (or keys:<key>,<key>… to group by config keys)`);
    this.groupBy = parsed;
    this.hidden = new Set();
  }

  toggleEntry(key: string): void {
    const next = new Set(this.hidden);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.hidden = next;
  }

  /** The plotted data as CSV (see compareCsv). */
  csv(): string {
    return compareCsv(this.panels, this.xAxis, this.smoothing);
  }

  private onEvent(event: LabEvent): void {
    if (event.type !== 'run-progress' && event.type !== 'run-epoch' && event.type !== 'run-status') return;
    if (!this.runIds.includes(event.runId)) return;
    if (event.type === 'run-status') {
      if (event.run === null) {
        this.forgetRun(event.runId);
        return;
      }
      const updated = event.run;
      const known = this.runs.some((r) => r.id === updated.id);
      // A run the lab did not know at select() time cannot appear later; only known runs are updated.
      if (known) this.runs = this.runs.map((r) => (r.id === updated.id ? updated : r));
      else return;
    }
    this.dirty.add(event.runId);
    this.throttle.request();
  }

  private forgetRun(runId: number): void {
    this.dirty.delete(runId);
    this.runIds = this.runIds.filter((id) => id !== runId);
    this.runs = this.runs.filter((r) => r.id !== runId);
    this.seriesNames = this.seriesNames.filter((s) => s.runId !== runId);
    const curves = new Map(this.curves);
    curves.delete(runId);
    this.curves = curves;
  }

  /** Refetches the dirty runs' series names and curves and merges them in. */
  private async refreshDirty(): Promise<void> {
    const ids = [...this.dirty].filter((id) => this.runs.some((r) => r.id === id));
    this.dirty.clear();
    if (ids.length === 0) return;
    const generation = this.generation;
    try {
      const { names, curves } = await this.fetchCurves(ids);
      if (generation !== this.generation) return;
      const stillShown = new Set(this.runs.map((r) => r.id));
      const namesById = new Map(this.seriesNames.map((s) => [s.runId, s]));
      for (const n of names) if (stillShown.has(n.runId)) namesById.set(n.runId, n);
      this.seriesNames = this.runs.flatMap((r) => namesById.get(r.id) ?? []);
      const merged = new Map(this.curves);
      for (const c of curves) if (stillShown.has(c.runId)) merged.set(c.runId, c);
      this.curves = merged;
      this.error = null;
    } catch (e) {
      if (generation === this.generation) this.error = `Live update failed: ${messageOf(e)}`;
    }
  }

  /** Every series of these runs in one readCurves call, and their names (seriesNamesOf). */
  private async fetchCurves(runIds: number[]): Promise<{ names: RunSeriesNames[]; curves: RunCurves[] }> {
    if (runIds.length === 0) return { names: [], curves: [] };
    const curves = await this.readCurves(runIds);
    return { names: curves.map(seriesNamesOf), curves };
  }

  /**
   * Many runs are decoded in tasks of at most about decodeSliceMs, and handed over in a task of their
   * own: fifty runs decoded and laid out at once could freeze the page. A few runs need no turns.
   */
  private async readCurves(runIds: number[], stepRange?: StepRange): Promise<RunCurves[]> {
    const asked = performance.now();
    const encoded = await this.client.readCurves({ runIds, maxPoints: this.maxPoints(), ...(stepRange ? { stepRange } : {}) });
    timelineMark('compare: readCurves', asked);
    if (encoded.length <= runsDecodedAtOnce) return encoded.map(decodeRunCurves);
    const decoded: RunCurves[] = [];
    let sliceStart = performance.now();
    for (const run of encoded) {
      if (performance.now() - sliceStart > decodeSliceMs) {
        await nextTask();
        sliceStart = performance.now();
      }
      decoded.push(decodeRunCurves(run));
    }
    await nextTask();
    return decoded;
  }

  /**
   * A zoomed chart's visible range at full resolution: refetches the shown runs' series between steps
   * `from` and `to` (as many points as the overview has, which is every step once the range is that
   * short) and puts them in place of the overview's points there; the rest of each curve stays as it
   * is. Answers to an older selection, or overtaken by a later loadRange, are dropped.
   */
  async loadRange(from: number, to: number): Promise<void> {
    const runIds = this.runs.map((r) => r.id);
    if (runIds.length === 0) return;
    const stepRange = { from: Math.max(0, Math.floor(from)), to: Math.max(0, Math.ceil(to)) };
    if (stepRange.from > stepRange.to) return;
    const generation = this.generation;
    const request = ++this.rangeRequest;
    try {
      const details = await this.readCurves(runIds, stepRange);
      if (generation !== this.generation || request !== this.rangeRequest) return;
      const merged = new Map(this.curves);
      for (const detail of details) {
        const overview = merged.get(detail.runId);
        if (overview) merged.set(detail.runId, withRange(overview, detail, stepRange));
      }
      this.curves = merged;
    } catch (e) {
      if (generation === this.generation) this.error = `Could not load the zoomed range: ${messageOf(e)}`;
    }
  }
}

/** The overview's points outside the range, and the detail's inside it, in step order. */
function withRange(overview: RunCurves, detail: RunCurves, range: StepRange): RunCurves {
  const series: Record<string, CurvePoint[]> = {};
  for (const name of new Set([...Object.keys(overview.series), ...Object.keys(detail.series)])) {
    const points = overview.series[name] ?? [];
    const before = points.filter((p) => p.step < range.from);
    const after = points.filter((p) => p.step > range.to);
    series[name] = [...before, ...(detail.series[name] ?? []), ...after];
  }
  return { ...overview, series };
}

/** A run's series names as listSeries gives them, from the series readCurves sent: `loss` always, `accuracy` when there, the rest as traces. */
function seriesNamesOf(curves: RunCurves): RunSeriesNames {
  const names = Object.keys(curves.series);
  const metrics = ['loss', ...(names.includes('accuracy') ? ['accuracy'] : [])];
  return { runId: curves.runId, metrics, traces: names.filter((n) => !metrics.includes(n)).sort() };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
