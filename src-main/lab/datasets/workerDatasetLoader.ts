import type { DatasetPreview } from '../api/labApi';
import type { Dataset } from '../../engine/data/dataset';
import { UserInputError } from '../../engine/errors';
import { jobHeapMb } from '../../engine/memoryLimits';
import { runOneShotWorker } from '../oneShotWorker';
import type { RunSpec } from '../../shared/runSpec';
import type { DatasetLoader, DatasetSummary } from './datasetLoading';

/**
 * What a dataset worker is asked (its workerData): one summary or preview of one dataset, or the whole
 * dataset as a run loads it (its validation hold-out drawn from the run's seed).
 */
export type DatasetJob = { source: string; target: string | null; maxFileBytes?: number } & (
  | { kind: 'summary' }
  | { kind: 'preview'; count: number }
  | { kind: 'run'; seed: number }
);

/** What it answers (its one message): the value, or why it failed (userError: the loader's UserInputError, a message for the user). */
export type DatasetJobAnswer = { ok: true; value: DatasetSummary | DatasetPreview | Dataset } | { ok: false; message: string; userError: boolean };

export interface DatasetWorkerLimits {
  /** The worker's V8 heap, resourceLimits.maxOldGenerationSizeMb (default jobHeapMb()). */
  heapMb?: number;
  /** The most one dataset file may hold, decompressed (default maxDatasetFileBytes()). */
  maxFileBytes?: number;
}

/**
 * Loads each dataset in a fresh worker thread with resourceLimits on its heap, so that a file that does
 * not fit (a gzip bomb, a CSV of a hundred million rows) fails its own request, with a message, and
 * the lab's thread goes on recording runs meanwhile.
 */
export function workerDatasetLoader(limits: DatasetWorkerLimits = {}): DatasetLoader {
  const heapMb = limits.heapMb ?? jobHeapMb();
  const job = (source: string, target: string | null) => ({ source, target, ...(limits.maxFileBytes === undefined ? {} : { maxFileBytes: limits.maxFileBytes }) });
  return {
    summary: (source, target) => runDatasetJob<DatasetSummary>({ kind: 'summary', ...job(source, target) }, heapMb),
    preview: (source, target, count) => runDatasetJob<DatasetPreview>({ kind: 'preview', count, ...job(source, target) }, heapMb),
  };
}

/**
 * The spec's dataset as its run loads it (loadRunDataset), loaded in a worker thread: for a host that
 * trains the run elsewhere (a page) and must stay free meanwhile. Its arrays come back copied.
 */
export function loadRunDatasetInWorker(spec: Pick<RunSpec, 'dataset' | 'target' | 'seed'>, limits: DatasetWorkerLimits = {}): Promise<Dataset> {
  const job: DatasetJob = {
    kind: 'run',
    source: spec.dataset,
    target: spec.target ?? null,
    seed: spec.seed,
    ...(limits.maxFileBytes === undefined ? {} : { maxFileBytes: limits.maxFileBytes }),
  };
  return runDatasetJob<Dataset>(job, limits.heapMb ?? jobHeapMb());
}

async function runDatasetJob<T extends DatasetSummary | DatasetPreview | Dataset>(job: DatasetJob, heapMb: number): Promise<T> {
  const answer = await runOneShotWorker<DatasetJobAnswer>({
    url: datasetWorkerUrl(),
    workerData: job,
    heapMb,
    what: 'dataset',
    outOfMemory: () => new UserInputError(`${job.source}: too large to load here: loading it took more than the ${heapMb} MB of memory a dataset may take`),
  });
  if (answer.ok) return answer.value as T;
  throw answer.userError ? new UserInputError(answer.message) : new Error(answer.message);
}

/**
 * The file a dataset worker starts from: from sources (this module's URL ends in .ts: node with tsx,
 * vitest), the bootstrap that registers tsx first; from a build, `datasetWorker.js` beside the bundle,
 * which the builds (scripts/compiledCli.mjs, electron.vite.config.ts) make as an entry of its own.
 */
function datasetWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./datasetWorkerBootstrap.mjs', import.meta.url) : new URL('./datasetWorker.js', import.meta.url);
}
