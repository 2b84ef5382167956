/**
 * How a run reads in the Runs table: its labels, duration and progress, whether it passes the filter,
 * and the order of rows when sorted by a column.
 */
import type { ExperimentInfo, LabEvent, RunInfo, RunSpec, RunStatus } from '$api/labApi';
import { datasetName } from '$shared/datasetName';
import { configKeysOf, configText, configValue, type ConfigKey } from './runConfigKeys';
import { comparisonMatches, parseRunFilter, type RunFilter } from './runFilter';

export type StatusFilter = 'all' | 'active' | 'finished' | RunStatus;

export type RunSortKey =
  | 'id'
  | 'status'
  | 'optimizer'
  | 'dataset'
  | 'architecture'
  | 'seed'
  | 'bestValAccuracy'
  | 'valAccuracy'
  | 'bestValLoss'
  | 'valLoss'
  | 'duration'
  | 'backend'
  // A hyperparameter column: `param:<config key>` (runConfigKeys).
  | `param:${ConfigKey}`;

export interface RunSort {
  key: RunSortKey;
  descending: boolean;
}

/** The latest `run-progress` event of a training run (`step` is the 0-based index of the latest step). */
export type LiveProgress = Omit<Extract<LabEvent, { type: 'run-progress' }>, 'type' | 'runId' | 'trace'>;

export interface Progress {
  done: number;
  total: number;
  fraction: number;
}

export const activeStatuses: readonly RunStatus[] = ['queued', 'running'];

export function isActive(status: RunStatus): boolean {
  return activeStatuses.includes(status);
}

/** `mlp (widths=32,32)`, or `custom (4 layers)` for a pasted spec. */
export function architectureLabel(spec: RunSpec): string {
  if (typeof spec.arch !== 'string') return `custom (${spec.arch.layers.length} layers)`;
  const options = Object.entries(spec.archOptions ?? {}).map(([k, v]) => `${k}=${v}`);
  return options.length === 0 ? spec.arch : `${spec.arch} (${options.join(', ')})`;
}

/** `mnist`, or the last part of a dataset path. */
export function datasetLabel(spec: RunSpec): string {
  return datasetName(spec.dataset);
}

/** Wall time from start to end (to `now` while it trains); null before it starts. */
export function runDurationMs(run: RunInfo, now: number): number | null {
  if (run.startedAt === null) return null;
  const end = run.endedAt === null ? (isActive(run.status) ? now : null) : Date.parse(run.endedAt);
  if (end === null) return null;
  return Math.max(0, end - Date.parse(run.startedAt));
}

/**
 * Steps done out of the run's total: the latest live event when it is ahead of the stored rows (which
 * are written in batches), else the stored step count. Null when the total is not known yet.
 */
export function runProgress(run: RunInfo, live: LiveProgress | undefined): Progress | null {
  const total = live?.totalSteps ?? run.totalSteps;
  if (total === null || total <= 0) return null;
  const done = Math.min(total, Math.max(run.storedSteps, run.steps ?? 0, live === undefined ? 0 : live.step + 1));
  return { done, total, fraction: done / total };
}

export function statusMatches(status: RunStatus, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'active') return isActive(status);
  if (filter === 'finished') return !isActive(status);
  return status === filter;
}

/** Everything the text filter searches in, lower-cased. */
function searchableText(run: RunInfo, experiment: ExperimentInfo | undefined): string {
  return [
    `#${run.id}`,
    run.status,
    run.optimizer,
    datasetLabel(run.spec),
    architectureLabel(run.spec),
    run.backend ?? '',
    run.worker ?? '',
    `seed ${run.spec.seed}`,
    // Why it diverged, failed or was interrupted (the reason shown under its status).
    run.error ?? '',
    ...run.tags,
    run.notes,
    experiment?.name ?? '',
    ...(experiment?.tags ?? []),
  ]
    .join('\n')
    .toLowerCase();
}

/**
 * Every word of the filter must occur somewhere in the run (or its experiment's name and tags), and every
 * comparison must hold (runFilter). `configKeys`: the config keys of all the runs being filtered, so an
 * option one run leaves unset still reads `default` there.
 */
export function runMatches(run: RunInfo, experiment: ExperimentInfo | undefined, filter: string | RunFilter, status: StatusFilter, configKeys: readonly ConfigKey[] = configKeysOf([run])): boolean {
  if (!statusMatches(run.status, status)) return false;
  const { terms } = typeof filter === 'string' ? parseRunFilter(filter) : filter;
  if (terms.length === 0) return true;
  const haystack = terms.some((t) => t.kind === 'word') ? searchableText(run, experiment) : '';
  return terms.every((term) => (term.kind === 'word' ? haystack.includes(term.word) : comparisonMatches(run, term, configKeys)));
}

/** Running first, then queued, then the finished ones, best outcome first. */
export const statusOrder: readonly RunStatus[] = ['running', 'queued', 'completed', 'diverged', 'failed', 'interrupted', 'cancelled'];

/** The value a column sorts by; null (or NaN) when the run has none. A config key sorts numbers as numbers, the rest as text. */
export function runSortValue(run: RunInfo, key: RunSortKey, now: number): number | string | null {
  if (key.startsWith('param:')) {
    const configKey = key.slice('param:'.length);
    const value = configValue(run, configKey);
    return typeof value === 'number' ? value : configText(run, configKey);
  }
  switch (key) {
    case 'id':
      return run.id;
    case 'status':
      return statusOrder.indexOf(run.status);
    case 'optimizer':
      return run.optimizer;
    case 'dataset':
      return datasetLabel(run.spec);
    case 'architecture':
      return architectureLabel(run.spec);
    case 'seed':
      return run.spec.seed;
    case 'duration':
      return runDurationMs(run, now);
    case 'backend':
      return run.backend;
    case 'bestValAccuracy':
    case 'valAccuracy':
    case 'bestValLoss':
    case 'valLoss':
      return run[key];
    default:
      throw new RangeError(`sort: no column ${JSON.stringify(key)}`);
  }
}

const isMissing = (value: number | string | null): value is null => value === null || (typeof value === 'number' && Number.isNaN(value));

/** Sorted copy; runs without a value (a metric not measured yet) go last either way; ties by id. */
export function sortRuns(runs: readonly RunInfo[], sort: RunSort, now: number): RunInfo[] {
  const direction = sort.descending ? -1 : 1;
  return [...runs].sort((a, b) => {
    const va = runSortValue(a, sort.key, now);
    const vb = runSortValue(b, sort.key, now);
    if (isMissing(va) || isMissing(vb)) {
      if (isMissing(va) !== isMissing(vb)) return isMissing(va) ? 1 : -1;
      return a.id - b.id;
    }
    const order = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'en', { numeric: true });
    return order === 0 ? a.id - b.id : order * direction;
  });
}

/** Clicking a column: the same column flips direction; a new one starts best-first for accuracy, else ascending. */
export function nextSort(current: RunSort, key: RunSortKey): RunSort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key === 'bestValAccuracy' || key === 'valAccuracy' };
}
