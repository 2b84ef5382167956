import { selectBackend } from '../backend';
import { loadRunDataset } from '../data/loadDataset';
import { CheckpointFolder } from '../checkpoint/checkpointFolder';
import type { CheckpointEvery } from '../../shared/checkpointEvery';
import type { RunSpec } from '../../shared/runSpec';
import { readWeightsFile } from '../weights/weightsFile';
import { train, type TrainOptions } from './trainer';
import type { DoneEvent, TrainEvent } from './trainEvents';

/** One run to train, wherever it trains: the spec and the backend preference ('auto', 'cpu', 'webgpu', …). */
export interface TrainJob {
  spec: RunSpec;
  /** Default: CURVELAB_BACKEND, else the best that loads (see selectBackend). */
  backend?: string;
  /**
   * The run's checkpoint folder (see CheckpointFolder: a function when it is known only once the run has
   * started) and how often it writes one; it goes on from the newest there. Absent: no checkpoints.
   */
  checkpoints?: { folder: string | (() => string | null); every: CheckpointEvery; resumeAtMost?: number };
}

/**
 * Does one training job from start to end: selects the backend, loads the spec's dataset (seeded, so a
 * CSV's validation split follows the run's seed) and the weights it starts from (`initFrom`), and
 * trains, reporting every event. The one way a run is trained: the lab's worker thread, `curvelab train`
 * and remote workers all call it. A bad backend name, a dataset that does not load, a model that does
 * not fit it or weights that are not the model's throw a UserInputError before the `start` event.
 */
export async function runJob(
  job: TrainJob,
  signal: AbortSignal,
  onEvent: (event: TrainEvent) => void,
  options: Pick<TrainOptions, 'onFinalWeights'> & { onCheckpoint?(step: number): void } = {},
): Promise<DoneEvent> {
  const { spec } = job;
  const backend = await selectBackend(job.backend);
  const dataset = await loadRunDataset(spec);
  const initFrom = spec.initFrom !== undefined ? await readWeightsFile(spec.initFrom) : undefined;
  const checkpoints = job.checkpoints && {
    ...job.checkpoints,
    folder: new CheckpointFolder(job.checkpoints.folder),
    onRefused: (error: Error) => console.warn(`curvelab: warning: ${error.message}; going on from an older checkpoint`),
    ...(options.onCheckpoint ? { onWritten: options.onCheckpoint } : {}),
  };
  return train(spec, dataset, { ...options, onEvent, signal, backend, ...(initFrom ? { initFrom } : {}), ...(checkpoints ? { checkpoints } : {}) });
}
