import type { BackendReport } from '../../engine/backend';
import { UserInputError } from '../../engine/errors';
import type { TrainJob } from '../../engine/train/runJob';
import type { RunSpec } from '../../shared/runSpec';
import type { TrainEvent } from '../../engine/train/trainEvents';

/**
 * The messages between the lab (main thread) and a training worker (trainWorker.ts). One worker does
 * one job, `train` or `probe`, and then ends by itself. The worker never touches the database: it
 * posts the engine's events and the main thread records them.
 */
export type ToWorkerMessage =
  /** Select the backend, load the dataset and train the run, posting every event; write its final weights to `weightsFile`. */
  | { type: 'train'; runId: number; spec: RunSpec; backend: string; weightsFile?: string; checkpoints?: TrainJob['checkpoints'] }
  /** Stop after the current step (the run ends `cancelled`, its rows kept). */
  | { type: 'cancel' }
  /** Select the backend, post its report and end. */
  | { type: 'probe'; backend: string };

export type FromWorkerMessage =
  /** One of the engine's training events, in order: start, steps and epochs, done. */
  | { type: 'event'; runId: number; event: TrainEvent }
  /** The run's checkpoint of this step is written (after the events of the steps before it). */
  | { type: 'checkpoint'; runId: number; step: number }
  /** The answer to `probe`. */
  | { type: 'backend'; report: BackendReport }
  /**
   * The job threw; the worker exits with code 1 right after. userError: the engine's UserInputError
   * (a bad dataset, spec or backend name: the message is for the user); otherwise a bug, with its stack.
   */
  | { type: 'error'; message: string; userError: boolean; stack?: string };

/** A light check of what arrives from a worker (it is our own code, but a worker file can be swapped in tests). */
export function isFromWorkerMessage(value: unknown): value is FromWorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'event' || type === 'checkpoint' || type === 'backend' || type === 'error';
}

/** The `error` message for a job that threw: the message, whether it is the user's, and a bug's stack. */
export function jobErrorMessage(error: unknown): Extract<FromWorkerMessage, { type: 'error' }> {
  const userError = error instanceof UserInputError;
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'error', message, userError, ...(!userError && error instanceof Error && error.stack ? { stack: error.stack } : {}) };
}
