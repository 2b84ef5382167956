import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ToWorkerMessage } from './workerProtocol';

/**
 * What trains one run, as the RunManager sees it: the part of a worker thread it uses. It takes the
 * `train` and `cancel` messages of workerProtocol.ts, says the messages back (`message`), a crash
 * (`error`) and its end (`exit`, with 0 after a job that finished, whatever the run's status), once.
 * Node's Worker is one as it is; a page trainer (lab/gpuPage/pageTrainerPort.ts) is the other.
 */
export interface TrainerPort {
  postMessage(message: ToWorkerMessage): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (exitCode: number) => void): unknown;
  /** Stops it at once (shutdown's last resort); it says `exit` after. */
  terminate(): Promise<number>;
}

/** Starts the trainer of one run: a fresh worker thread by default (RunManagerOptions.startTrainer). */
export type StartTrainer = () => TrainerPort;

/** A training worker thread on `workerUrl` (trainWorker.ts). */
export function startWorkerTrainer(workerUrl: URL, resourceLimits: ResourceLimits | undefined): TrainerPort {
  return new Worker(workerUrl, resourceLimits ? { resourceLimits } : {});
}
