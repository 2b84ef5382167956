import type { ArchiveFile, EpochPoint, ExperimentInfo, LabEvent, RunInfo, RunsStarted } from '$api/labApi';
import { LabError } from '$api/labErrors';
import type { LabClient } from '../lab/labClient';
import { errorText } from '../shell/errorText';
import { readFileAsBase64, type ReadableFile } from '../shell/fileTransfer';
import { fixedConfigKeys, tableColumns } from './runColumns';
import { browserStorage, loadParamColumns, saveParamColumns, type ColumnStorage } from './savedColumns';
import { configKeysOf, type ConfigKey } from './runConfigKeys';
import { RunDetails } from './runDetails.svelte';
import { parseRunFilter, unknownFilterKeys } from './runFilter';
import { leaderboardMetrics, leaderboardRows, type LeaderboardMetric } from './leaderboard';
import { isActive, nextSort, runMatches, runProgress, sortRuns, type LiveProgress, type Progress, type RunSort, type RunSortKey, type StatusFilter } from './runRows';
import type { RunSelection } from './runSelection.svelte';
import { formatTags, parseTags } from './tagsText';

export interface ExperimentGroup {
  experiment: ExperimentInfo;
  /** Its runs that pass the filter, in the table's sort order. */
  runs: RunInfo[];
  /** All its runs, filtered or not. */
  runCount: number;
}

/** The tags-and-notes editor, open on one run or experiment. */
export interface Editing {
  kind: 'run' | 'experiment';
  id: number;
  tagsText: string;
  notesText: string;
  error: string;
  saving: boolean;
}

/** What the last import said, in words. */
export interface ImportOutcome {
  text: string;
  experimentId: number;
}

const runKey = (id: number): string => `run:${id}`;
const experimentKey = (id: number): string => `experiment:${id}`;

/**
 * The Runs screen: every experiment and run, kept current by the lab's events (run-status replaces a
 * run, run-progress moves its bar, run-epoch updates its validation metrics, experiments-changed
 * reloads), with filter and sort, tags and notes, cancel, delete (after a confirmation), export and
 * import, and the details of one run (`details`). Errors are kept per control: `errors['run:<id>']`,
 * `errors['experiment:<id>']`, `errors.import`, `errors.list`.
 */
export class RunsState {
  experiments = $state.raw<ExperimentInfo[]>([]);
  runs = $state.raw<RunInfo[]>([]);
  /** The latest run-progress event of each training run. */
  live = $state.raw<Record<number, LiveProgress>>({});
  loaded = $state(false);

  filterText = $state('');
  statusFilter = $state<StatusFilter>('all');
  sort = $state<RunSort>({ key: 'id', descending: false });
  collapsed = $state<number[]>([]);
  /** Hyperparameter columns the user chose (config keys), in the order chosen; remembered across reloads. */
  paramColumns = $state<ConfigKey[]>([]);
  /** Runs grouped by experiment, or one ranking across all experiments. */
  view = $state<'experiments' | 'leaderboard'>('experiments');
  leaderboardMetric = $state<LeaderboardMetric>('error');
  /** Wall-clock time for running durations; the screen ticks it every second. */
  now = $state(Date.now());

  errors = $state<Record<string, string>>({});
  /** `run:<id>` or `experiment:<id>` whose Delete asks "are you sure?". */
  confirmingDelete = $state<string | null>(null);
  editing = $state<Editing | null>(null);
  /** The last exported archive, for its download link. */
  exported = $state.raw<{ experimentId: number; file: ArchiveFile } | null>(null);
  importOutcome = $state<ImportOutcome | null>(null);
  importing = $state(false);
  /** An archive the lab refused because its experiment is here already with other content: the screen offers to import it as a copy. */
  importConflict = $state.raw<ReadableFile | null>(null);
  /** Keys of calls in flight (`cancel:<id>`, `export:<id>`…), to disable their buttons. */
  pending = $state<string[]>([]);
  /** The run whose details are open, and its history. */
  readonly details: RunDetails;

  experimentById = $derived(new Map(this.experiments.map((e) => [e.id, e])));
  counts = $derived({
    running: this.runs.filter((r) => r.status === 'running').length,
    queued: this.runs.filter((r) => r.status === 'queued').length,
  });
  filterActive = $derived(this.filterText.trim() !== '' || this.statusFilter !== 'all');
  /** Every config key any run has: what filter expressions and hyperparameter columns can name. */
  configKeys = $derived(configKeysOf(this.runs));
  filter = $derived(parseRunFilter(this.filterText));
  /** What is wrong with the filter text, shown beside it (the terms in error are left out). */
  filterErrors = $derived([...this.filter.errors, ...unknownFilterKeys(this.filter, this.runs)]);
  /** The hyperparameter columns one may add: config keys not shown already. */
  paramColumnChoices = $derived(this.configKeys.filter((key) => !fixedConfigKeys.includes(key)));
  columns = $derived(tableColumns(this.paramColumns));
  /** Selection checkbox + columns + actions. */
  columnCount = $derived(this.columns.length + 2);
  /** Newest experiment first; hidden when a filter is active and none of its runs pass. */
  groups = $derived.by((): ExperimentGroup[] => {
    const byExperiment = new Map<number, RunInfo[]>();
    for (const run of this.runs) {
      const list = byExperiment.get(run.experimentId);
      if (list) list.push(run);
      else byExperiment.set(run.experimentId, [run]);
    }
    const groups: ExperimentGroup[] = [];
    for (const experiment of [...this.experiments].sort((a, b) => b.id - a.id)) {
      const all = byExperiment.get(experiment.id) ?? [];
      const passing = all.filter((run) => this.passes(run, experiment));
      if (this.filterActive && passing.length === 0) continue;
      groups.push({ experiment, runs: sortRuns(passing, this.sort, this.now), runCount: all.length });
    }
    return groups;
  });
  /** Every run that passes the filter, across experiments, ranked by the current sort. */
  leaderboard = $derived(leaderboardRows(this.runs.filter((run) => this.passes(run, this.experimentById.get(run.experimentId))), this.sort, this.now));

  private loadRequest = 0;
  /** Events that arrive while a load is in flight, applied on top of its answer. */
  private buffered: LabEvent[] | null = null;

  constructor(
    private readonly client: LabClient,
    private readonly selection: RunSelection | null = null,
    private readonly columnStorage: ColumnStorage | null = browserStorage(),
  ) {
    this.details = new RunDetails(client);
    this.paramColumns = loadParamColumns(columnStorage);
  }

  /** Loads everything and follows the lab's events; returns the function that stops following. */
  attach(): () => void {
    const unsubscribe = this.client.subscribe((event) => this.apply(event));
    void this.load();
    return unsubscribe;
  }

  async load(): Promise<void> {
    const request = ++this.loadRequest;
    this.buffered ??= [];
    try {
      const [experiments, runs] = await Promise.all([this.client.listExperiments(), this.client.listRuns({})]);
      if (request !== this.loadRequest) return;
      this.experiments = experiments;
      this.runs = runs;
      this.live = Object.fromEntries(Object.entries(this.live).filter(([id]) => runs.some((r) => r.id === Number(id) && isActive(r.status))));
      this.loaded = true;
      this.clearError('list');
      this.selection?.keepOnly(new Set(runs.map((r) => r.id)));
    } catch (error) {
      if (request !== this.loadRequest) return;
      this.setError('list', errorText(error));
    }
    const pending = this.buffered ?? [];
    this.buffered = null;
    for (const event of pending) this.apply(event);
  }

  apply(event: LabEvent): void {
    if (this.buffered !== null) {
      this.buffered.push(event);
      return;
    }
    switch (event.type) {
      case 'run-status':
        if (event.run === null) this.removeRuns((r) => r.id === event.runId);
        else {
          this.upsertRun(event.run);
          void this.details.refreshIfOpen(event.runId);
        }
        break;
      case 'run-progress': {
        const run = this.runs.find((r) => r.id === event.runId);
        if (run && !isActive(run.status)) break;
        const { step, totalSteps, epoch, loss, accuracy, seconds } = event;
        this.live = { ...this.live, [event.runId]: { step, totalSteps, epoch, loss, accuracy, seconds } };
        break;
      }
      case 'run-epoch':
        this.applyEpoch(event.runId, event.epoch);
        break;
      case 'experiments-changed':
        void this.load();
        break;
      case 'datasets-changed':
        break;
    }
  }

  /**
   * A run's new state. A finished run never goes back to queued or running, so an event older than
   * the list it lands on cannot undo an ending.
   */
  private upsertRun(run: RunInfo): void {
    const index = this.runs.findIndex((r) => r.id === run.id);
    if (index >= 0 && !isActive(this.runs[index]!.status) && isActive(run.status)) return;
    this.runs = index >= 0 ? this.runs.map((r, i) => (i === index ? run : r)) : [...this.runs, run];
    if (!isActive(run.status) && run.id in this.live) {
      const { [run.id]: _ended, ...rest } = this.live;
      this.live = rest;
    }
    if (!this.experiments.some((e) => e.id === run.experimentId)) void this.reloadExperiments();
  }

  private applyEpoch(runId: number, epoch: EpochPoint): void {
    const index = this.runs.findIndex((r) => r.id === runId);
    if (index < 0) return;
    const run = this.runs[index]!;
    const best = (current: number | null, value: number | null, better: (a: number, b: number) => boolean): number | null =>
      value === null ? current : current === null || better(value, current) ? value : current;
    const updated: RunInfo = {
      ...run,
      trainLoss: epoch.trainLoss ?? run.trainLoss,
      valLoss: epoch.valLoss,
      valAccuracy: epoch.valAccuracy,
      bestValAccuracy: best(run.bestValAccuracy, epoch.valAccuracy, (a, b) => a > b),
      bestValLoss: best(run.bestValLoss, epoch.valLoss, (a, b) => a < b),
    };
    this.runs = this.runs.map((r, i) => (i === index ? updated : r));
  }

  private removeRuns(predicate: (run: RunInfo) => boolean): void {
    const removed = this.runs.filter(predicate).map((r) => r.id);
    if (removed.length === 0) return;
    this.runs = this.runs.filter((r) => !predicate(r));
    this.live = Object.fromEntries(Object.entries(this.live).filter(([id]) => !removed.includes(Number(id))));
    this.selection?.keepOnly(new Set(this.runs.map((r) => r.id)));
    if (this.details.runId !== null && removed.includes(this.details.runId)) this.details.close();
  }

  private async reloadExperiments(): Promise<void> {
    try {
      this.experiments = await this.client.listExperiments();
    } catch (error) {
      this.setError('list', errorText(error));
    }
  }

  progress(run: RunInfo): Progress | null {
    return runProgress(run, this.live[run.id]);
  }

  setSort(key: RunSortKey): void {
    this.sort = nextSort(this.sort, key);
  }

  toggleParamColumn(key: ConfigKey): void {
    this.paramColumns = this.paramColumns.includes(key) ? this.paramColumns.filter((k) => k !== key) : [...this.paramColumns, key];
    saveParamColumns(this.columnStorage, this.paramColumns);
    // A column that goes takes its sort with it.
    if (this.sort.key.startsWith('param:') && !this.paramColumns.includes(this.sort.key.slice('param:'.length))) this.sort = { key: 'id', descending: false };
  }

  /** The leaderboard, ranked by this metric (the columns still re-sort it). */
  showLeaderboard(metric: LeaderboardMetric = this.leaderboardMetric): void {
    this.view = 'leaderboard';
    this.leaderboardMetric = metric;
    this.sort = leaderboardMetrics.find((m) => m.metric === metric)!.sort;
  }

  showExperiments(): void {
    this.view = 'experiments';
  }

  private passes(run: RunInfo, experiment: ExperimentInfo | undefined): boolean {
    return runMatches(run, experiment, this.filter, this.statusFilter, this.configKeys);
  }

  isExpanded(experimentId: number): boolean {
    return !this.collapsed.includes(experimentId);
  }

  toggleExpanded(experimentId: number): void {
    this.collapsed = this.isExpanded(experimentId) ? [...this.collapsed, experimentId] : this.collapsed.filter((id) => id !== experimentId);
  }

  /** Shows runs just started: in the table at once, their experiment open, the filter cleared so they are visible. */
  noteStarted(started: RunsStarted): void {
    const experimentId = started.experiment.id;
    if (!this.experiments.some((e) => e.id === experimentId)) this.experiments = [...this.experiments, started.experiment];
    for (const run of started.runs) this.upsertRun(run);
    this.reveal(experimentId, true);
  }

  /** Opens a run's details from elsewhere (the Workers panel): its experiment open, the filter cleared if it hides the run. */
  openRun(id: number): void {
    const run = this.runs.find((r) => r.id === id);
    if (run) this.reveal(run.experimentId, !this.passes(run, this.experimentById.get(run.experimentId)));
    void this.details.open(id);
  }

  private reveal(experimentId: number, clearFilter: boolean): void {
    this.collapsed = this.collapsed.filter((id) => id !== experimentId);
    if (!clearFilter) return;
    this.filterText = '';
    this.statusFilter = 'all';
  }

  // ─── Actions ────────────────────────────────────────────────────────────────────────────────

  async cancel(id: number): Promise<void> {
    await this.act(runKey(id), `cancel:${id}`, async () => this.upsertRun(await this.client.cancelRun({ id })));
  }

  /** An interrupted run trains on from its last checkpoint. */
  async resume(id: number): Promise<void> {
    await this.act(runKey(id), `resume:${id}`, async () => this.upsertRun(await this.client.resumeRun({ id })));
  }

  askDelete(key: string | null): void {
    this.confirmingDelete = key;
  }

  async deleteRun(id: number): Promise<void> {
    this.confirmingDelete = null;
    await this.act(runKey(id), `delete:${runKey(id)}`, async () => {
      await this.client.deleteRun({ id });
      this.removeRuns((r) => r.id === id);
    });
  }

  async deleteExperiment(id: number): Promise<void> {
    this.confirmingDelete = null;
    await this.act(experimentKey(id), `delete:${experimentKey(id)}`, async () => {
      await this.client.deleteExperiment({ id });
      this.experiments = this.experiments.filter((e) => e.id !== id);
      this.removeRuns((r) => r.experimentId === id);
      if (this.exported?.experimentId === id) this.exported = null;
    });
  }

  beginEdit(kind: 'run' | 'experiment', id: number): void {
    const item = kind === 'run' ? this.runs.find((r) => r.id === id) : this.experiments.find((e) => e.id === id);
    if (!item) return;
    this.editing = { kind, id, tagsText: formatTags(item.tags), notesText: item.notes, error: '', saving: false };
  }

  cancelEdit(): void {
    this.editing = null;
  }

  async saveEdit(): Promise<void> {
    const editing = this.editing;
    if (editing === null) return;
    const tags = parseTags(editing.tagsText);
    if (!tags.ok) {
      editing.error = tags.error;
      return;
    }
    editing.saving = true;
    editing.error = '';
    try {
      const payload = { id: editing.id, tags: tags.value, notes: editing.notesText };
      if (editing.kind === 'run') this.upsertRun(await this.client.updateRun(payload));
      else {
        const experiment = await this.client.updateExperiment(payload);
        this.experiments = this.experiments.map((e) => (e.id === experiment.id ? experiment : e));
      }
      if (this.editing === editing) this.editing = null;
    } catch (error) {
      editing.error = errorText(error);
    } finally {
      editing.saving = false;
    }
  }

  async exportExperiment(experimentId: number): Promise<ArchiveFile | null> {
    let file: ArchiveFile | null = null;
    await this.act(experimentKey(experimentId), `export:${experimentId}`, async () => {
      file = await this.client.exportExperiment({ experimentId });
      this.exported = { experimentId, file };
    });
    return file;
  }

  /** `asCopy`: beside the experiment already here, as "<name> (copy)" (after the lab said the archive differs from it). */
  async importArchive(file: ReadableFile, options: { asCopy?: boolean } = {}): Promise<void> {
    this.importing = true;
    this.importOutcome = null;
    this.importConflict = null;
    this.clearError('import');
    try {
      const payload = { base64: await readFileAsBase64(file), fileName: file.name };
      const result = await this.client.importArchive(options.asCopy ? { ...payload, asCopy: true } : payload);
      const name = result.experiment.name;
      const runs = `${result.runCount} run${result.runCount === 1 ? '' : 's'}`;
      this.importOutcome = {
        experimentId: result.experiment.id,
        text: result.alreadyPresent ? `Already imported: “${name}” (${runs}) is in the database; nothing was written.` : `Imported ${runs} into “${name}”.`,
      };
      this.collapsed = this.collapsed.filter((id) => id !== result.experiment.id);
      await this.load();
    } catch (error) {
      if (error instanceof LabError && error.code === 'conflict') this.importConflict = file;
      this.setError('import', `${file.name}: ${errorText(error)}`);
    } finally {
      this.importing = false;
    }
  }

  isPending(key: string): boolean {
    return this.pending.includes(key);
  }

  /** Runs one action; its error goes under `errorKey`, and `pendingKey` disables its button meanwhile. */
  private async act(errorKey: string, pendingKey: string, action: () => Promise<void>): Promise<void> {
    this.clearError(errorKey);
    this.pending = [...this.pending, pendingKey];
    try {
      await action();
    } catch (error) {
      this.setError(errorKey, errorText(error));
    } finally {
      this.pending = this.pending.filter((k) => k !== pendingKey);
    }
  }

  private setError(key: string, text: string): void {
    this.errors = { ...this.errors, [key]: text };
  }

  private clearError(key: string): void {
    if (!(key in this.errors)) return;
    const { [key]: _cleared, ...rest } = this.errors;
    this.errors = rest;
  }
}
