/**
 * A training worker (worker_threads): does one job the lab posts, `train` or `probe`, posts what the
 * engine reports, and ends by itself. Started by RunManager (one fresh worker per run) and probeBackend;
 * the messages are in workerProtocol.ts. The worker never opens the database: the main thread owns it.
 * It writes one file: the run's final weights, where the `train` message says (runWeights.ts).
 *
 * Ending: after its job the worker closes its port and lets its event loop drain, rather than calling
 * process.exit() at once, because a worker that used webgpu must first release Dawn (disposeWebGpu):
 * ending it with GPU work in flight aborts the whole process. The exit code is 0 after a job that
 * finished (any run status), 1 after one that threw.
 */
import { parentPort } from 'node:worker_threads';
import { currentBackend, selectBackend } from '../../engine/backend';
import { runJob } from '../../engine/train/runJob';
import { keepRunWeights } from '../weights/runWeights';
import { jobErrorMessage, type FromWorkerMessage, type ToWorkerMessage } from './workerProtocol';

/** If something (a backend's handle) keeps the event loop alive after the job, end anyway after this long. */
const EXIT_GRACE_MS = 5000;

const port = parentPort;
if (!port) throw new Error('trainWorker.ts runs only as a worker thread (started by RunManager or probeBackend)');

const cancel = new AbortController();
let busy = false;

function post(message: FromWorkerMessage): void {
  port!.postMessage(message);
}

port.on('message', (message: ToWorkerMessage) => {
  switch (message.type) {
    case 'cancel':
      // Cooperative: the trainer checks the signal between steps and ends the run `cancelled`.
      cancel.abort();
      return;
    case 'train': {
      const { runId, spec, backend, weightsFile, checkpoints } = message;
      const weights = weightsFile === undefined ? {} : { onFinalWeights: keepRunWeights(weightsFile, spec, (warning) => console.error(`run ${runId}: ${warning}`)) };
      if (!busy) void doJob(() => runJob({ spec, backend, ...(checkpoints ? { checkpoints } : {}) }, cancel.signal, (event) => post({ type: 'event', runId, event }), {
        ...weights,
        onCheckpoint: (step) => post({ type: 'checkpoint', runId, step }),
      }));
      return;
    }
    case 'probe':
      if (!busy) void doJob(async () => post({ type: 'backend', report: await selectBackend(message.backend) }));
      return;
  }
});

/** Does the one job, reports a throw, releases the backend and lets the worker end. */
async function doJob(job: () => Promise<unknown>): Promise<void> {
  busy = true;
  let exitCode = 0;
  try {
    await job();
  } catch (error) {
    exitCode = 1;
    post(jobErrorMessage(error));
  }
  try {
    if (currentBackend().name === 'webgpu') {
      const { disposeWebGpu } = await import('../../engine/webgpu/loadWebGpuBackend');
      await disposeWebGpu();
    }
  } catch {
    // Ending matters more than a clean release; the process-level exit is safe once work has stopped.
  }
  process.exitCode = exitCode;
  port!.close();
  setTimeout(() => process.exit(exitCode), EXIT_GRACE_MS).unref();
}
