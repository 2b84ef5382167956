import { selectBackend } from '../backend';
import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/loadDataset';
import type { RunSpec } from '../../shared/runSpec';
import { train } from './trainer';
import type { DoneEvent, TrainEvent } from './trainEvents';

/** One run to train, wherever it trains: the spec and the backend preference ('auto', 'cpu', 'webgpu', …). */
export interface TrainJob {
  spec: RunSpec;
  /** Default: CURVELAB_BACKEND, else the best that loads (see selectBackend). */
  backend?: string;
}

/**
 * Does one training job from start to end: selects the backend, loads the spec's dataset (seeded, so a
 * CSV's validation split follows the run's seed) and trains, reporting every event. The one way a run
 * is trained: the lab's worker thread, `curvelab train` and remote workers all call it. A bad backend
 * name, a dataset that does not load or a model that does not fit it throws a UserInputError before
 * the `start` event.
 */
export async function runJob(job: TrainJob, signal: AbortSignal, onEvent: (event: TrainEvent) => void): Promise<DoneEvent> {
  const { spec } = job;
  const backend = await selectBackend(job.backend);
  const dataset = await loadRunDataset(spec);
  return train(spec, dataset, { onEvent, signal, backend });
}

/** The spec's dataset as its run loads it: the CSV target, and the validation hold-out drawn from the run's seed. */
export function loadRunDataset(spec: RunSpec): Promise<Dataset> {
  return loadDataset(spec.dataset, { ...(spec.target !== undefined ? { target: spec.target } : {}), seed: spec.seed });
}
