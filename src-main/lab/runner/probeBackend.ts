import { Worker } from 'node:worker_threads';
import type { BackendReport } from '../../engine/backend';
import { UserInputError } from '../../engine/errors';
import { trainWorkerUrl } from './trainWorkerUrl';
import { isFromWorkerMessage, type ToWorkerMessage } from './workerProtocol';

/**
 * Which backend runs will train on, asked of a training worker (selectBackend there), so the main
 * process never loads a GPU or native backend itself. Rejects with a UserInputError when the preference
 * names a backend that is unknown or does not load (its message lists what was tried).
 */
export function probeBackend(preference: string, options: { workerUrl?: URL } = {}): Promise<BackendReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(options.workerUrl ?? trainWorkerUrl());
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.on('message', (message: unknown) => {
      if (!isFromWorkerMessage(message)) return;
      if (message.type === 'backend') settle(() => resolve(message.report));
      if (message.type === 'error') settle(() => reject(message.userError ? new UserInputError(message.message) : new Error(`probing the backend failed: ${message.message}`)));
    });
    worker.on('error', (error) => settle(() => reject(new Error(`the backend probe worker crashed: ${error.message}`, { cause: error }))));
    worker.on('exit', (code) => settle(() => reject(new Error(`the backend probe worker exited with code ${code} without an answer`))));
    worker.postMessage({ type: 'probe', backend: preference } satisfies ToWorkerMessage);
  });
}
