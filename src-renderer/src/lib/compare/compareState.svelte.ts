import type { LabEvent, RunCurves, RunInfo, RunSeriesNames } from '$api/labApi';
import type { LabClient } from '../lab/labClient';
import { compareCsv } from './compareCsv';
import { panelSpecs } from './comparePanels';
import { buildPanelModels, sharedXRange } from './panelModels';
import { RefreshThrottle } from './refreshThrottle';
import { groupByChoices, groupByValue, parseGroupBy, plotEntries, type GroupBy } from './runGrouping';
import type { XAxisKind } from './xAxis';

export interface CompareOptions {
  /** Points per series asked of the lab: about twice a panel's width in pixels. */
  maxPoints?: number;
  /** Live refetches happen at most this often. */
  refreshIntervalMs?: number;
}

/** The lab validates at most this many series names per readCurves call. */
const seriesPerRequest = 50;
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
  /** Legend entries switched off. */
  hidden = $state.raw<ReadonlySet<string>>(new Set());

  loading = $state(false);
  error = $state<string | null>(null);

  readonly groupByChoices = $derived(groupByChoices(this.runs));
  readonly groupByValue = $derived(groupByValue(this.groupBy));
  readonly entries = $derived(plotEntries(this.runs, this.groupBy));
  readonly panels = $derived(
    buildPanelModels(
      panelSpecs(this.seriesNames),
      this.entries.filter((e) => !this.hidden.has(e.key)),
      this.curves,
      { xAxis: this.xAxis, smoothing: this.smoothing, logY: this.logY, showBand: this.showBand },
    ),
  );
  readonly xRange = $derived(sharedXRange(this.panels));

  private readonly maxPoints: number;
  private readonly throttle: RefreshThrottle;
  /** Bumped by every select(): answers to an older selection are dropped. */
  private generation = 0;
  private readonly dirty = new Set<number>();

  constructor(
    private readonly client: LabClient,
    options: CompareOptions = {},
  ) {
    this.maxPoints = options.maxPoints ?? 1000;
    this.throttle = new RefreshThrottle(() => this.refreshDirty(), options.refreshIntervalMs ?? 1000);
  }

  /** Starts following the lab's events; returns the function that stops (and drops pending refetches). */
  connect(): () => void {
    const unsubscribe = this.client.subscribe((event) => this.onEvent(event));
    return () => {
      unsubscribe();
      this.throttle.dispose();
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
      const all = await this.client.listRuns({});
      const byId = new Map(all.map((r) => [r.id, r]));
      const runs = ids.flatMap((id) => byId.get(id) ?? []);
      const missing = ids.filter((id) => !byId.has(id));
      const known = runs.map((r) => r.id);
      const { names, curves } = await this.fetchCurves(known);
      if (generation !== this.generation) return;
      this.runs = runs;
      this.missingRunIds = missing;
      this.seriesNames = names;
      this.curves = new Map(curves.map((c) => [c.runId, c]));
    } catch (e) {
      if (generation === this.generation) this.error = `Could not load the runs' curves: ${messageOf(e)}`;
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }

  setXAxis(kind: XAxisKind): void {
    this.xAxis = kind;
  }

  /** The slider's value, kept in [0, 0.99] (a weight of 1 would never move). */
  setSmoothing(weight: number): void {
    this.smoothing = Number.isFinite(weight) ? Math.min(maxSmoothing, Math.max(0, weight)) : 0;
  }

  /** A `<select>` value from groupByChoices. */
  setGroupBy(value: string): void {
    const parsed = parseGroupBy(value);
    if (!parsed) throw new RangeError(`groupBy: expected none, optimizer, config or option:<name>, got ${JSON.stringify(value)}`);
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

  /** Each run's series names, then every series any of them has (in chunks the lab accepts). */
  private async fetchCurves(runIds: number[]): Promise<{ names: RunSeriesNames[]; curves: RunCurves[] }> {
    if (runIds.length === 0) return { names: [], curves: [] };
    const names = await this.client.listSeries({ runIds });
    const series = new Set<string>(['loss']);
    for (const n of names) for (const s of [...n.metrics, ...n.traces]) series.add(s);
    const chunks = chunk([...series], seriesPerRequest);
    const answers = await Promise.all(chunks.map((s) => this.client.readCurves({ runIds, series: s, maxPoints: this.maxPoints })));
    return { names, curves: mergeCurves(answers) };
  }
}

/** Joins per-chunk answers: one RunCurves per run with all its series. */
function mergeCurves(answers: RunCurves[][]): RunCurves[] {
  const byRun = new Map<number, RunCurves>();
  for (const answer of answers)
    for (const c of answer) {
      const existing = byRun.get(c.runId);
      if (existing) byRun.set(c.runId, { ...existing, series: { ...existing.series, ...c.series } });
      else byRun.set(c.runId, c);
    }
  return [...byRun.values()];
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
