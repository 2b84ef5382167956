import { Worker } from 'node:worker_threads';

export interface OneShotWorkerJob {
  /** The worker's entry file. */
  url: URL;
  workerData: unknown;
  /** Its V8 heap, resourceLimits.maxOldGenerationSizeMb. */
  heapMb: number;
  /** What the worker does, for the messages of its failures ("dataset", "archive check"). */
  what: string;
  /** The error a job that ran out of its heap rejects with (a user's error: the input was too large). */
  outOfMemory: () => Error;
}

/**
 * Runs one job in a fresh worker thread with a bounded heap and resolves with the one message it posts:
 * a job too large for its heap fails alone (`outOfMemory`), and the lab's thread goes on meanwhile.
 * A worker that crashes or ends without answering rejects with an Error saying so.
 */
export function runOneShotWorker<Answer>({ url, workerData, heapMb, what, outOfMemory }: OneShotWorkerJob): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      finish();
    };
    worker.once('message', (answer: Answer) => settle(() => resolve(answer)));
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory() : new Error(`the ${what} worker crashed: ${error.message}`))),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`the ${what} worker ended (exit code ${code}) before it answered`))));
  });
}
