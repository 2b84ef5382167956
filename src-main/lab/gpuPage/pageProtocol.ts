import type { Dataset } from '../../engine/data/dataset';
import type { ModelWeights } from '../../engine/weights/modelWeights';
import type { WebGpuFailure } from '../../engine/webgpu/webGpuDevice';
import type { FromWorkerMessage, ToWorkerMessage } from '../runner/workerProtocol';

/**
 * The messages between the lab (the host: pageTrainerPort.ts) and a page trainer (pageTrainer.ts), a
 * Chromium page that trains one run on the page's own WebGPU. They are a worker's (workerProtocol.ts),
 * with what a page cannot do itself done by the host: it reads the dataset and the weights a run starts
 * from and sends them in, and writes the final weights the page sends back. A page writes no checkpoints.
 */

/** The data of the window message that hands a page its MessagePort to the host (from Electron's preload, or a test). */
export const TRAINER_PORT_MESSAGE = 'curvelab-trainer-port';

type TrainMessage = Extract<ToWorkerMessage, { type: 'train' }>;

export type ToPageMessage =
  | (Pick<TrainMessage, 'type' | 'runId' | 'spec'> & {
      dataset: Dataset;
      /** The bytes of the weights file the spec starts from (its `initFrom`), read by the host. */
      initFrom?: { file: string; bytes: Uint8Array };
      /** Send the final weights back (`weights`). */
      keepWeights: boolean;
      /** The memory the run may take on the host's machine (TrainOptions.memoryLimitBytes). */
      memoryLimitBytes: number;
      /** Accept a software adapter (SwiftShader): for tests only, as CURVELAB_ALLOW_SOFTWARE_GPU in Node. */
      allowSoftwareAdapter: boolean;
    })
  | Extract<ToWorkerMessage, { type: 'cancel' }>;

export type FromPageMessage =
  /** The page has its port and waits for `train`. */
  | { type: 'ready' }
  /** The engine's events, and a job that threw, as a worker posts them. */
  | Extract<FromWorkerMessage, { type: 'event' | 'error' }>
  /** The run's final weights (before its `done` event), or why they could not be read. */
  | { type: 'weights'; weights: ModelWeights }
  | { type: 'weights'; error: string }
  /** The page has no WebGPU to train on (before any event): the host trains the run elsewhere. */
  | { type: 'unavailable'; failure: WebGpuFailure; message: string }
  /** The job is over, as a worker's exit: 0 after a job that finished (any run status), 1 after one that threw. */
  | { type: 'ended'; exitCode: number };

const fromPageTypes = new Set(['ready', 'event', 'error', 'weights', 'unavailable', 'ended']);

/** A light check of what arrives from a page (our own code, in another process). */
export function isFromPageMessage(value: unknown): value is FromPageMessage {
  return typeof value === 'object' && value !== null && fromPageTypes.has((value as { type?: unknown }).type as string);
}
