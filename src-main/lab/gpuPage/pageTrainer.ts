/**
 * The page trainer: the entry of a Chromium page (bundled by scripts/buildGpuPage.mjs) that trains one
 * run with the engine on the page's own WebGPU, for the desktop app, where Dawn's Node binding cannot
 * run. It waits for its MessagePort to the host (a window message, TRAINER_PORT_MESSAGE), then does what
 * a training worker does (trainWorker.ts) with the messages of pageProtocol.ts: one `train` job,
 * cancellable between steps, its events posted as they come, then `ended`. Where the page has no GPU it
 * says so (`unavailable`) before any event, and the host trains the run elsewhere.
 *
 * The page has no files: the host sends the dataset and the weights a run starts from, and gets the
 * final weights back. It keeps no checkpoints.
 */
import { train } from '../../engine/train/trainer';
import { loadBrowserWebGpuBackend } from '../../engine/webgpu/browserWebGpuBackend';
import { WebGpuUnavailableError } from '../../engine/webgpu/webGpuDevice';
import type { ModelWeights } from '../../engine/weights/modelWeights';
import { decodeWeightsFile } from '../../engine/weights/weightsFile';
import { jobErrorMessage } from '../runner/workerProtocol';
import { TRAINER_PORT_MESSAGE, type FromPageMessage, type ToPageMessage } from './pageProtocol';

/** The page's end of its MessagePort (a DOM MessagePort; declared here, as the project's typings are Node's). */
interface HostPort {
  postMessage(message: FromPageMessage): void;
  onmessage: ((event: { data: ToPageMessage }) => void) | null;
}

interface PageWindow {
  addEventListener(type: 'message', listener: (event: { data: unknown; ports: readonly HostPort[] }) => void): void;
}

const cancel = new AbortController();
let host: HostPort | null = null;
let busy = false;

(globalThis as unknown as PageWindow).addEventListener('message', (event) => {
  if (host || event.data !== TRAINER_PORT_MESSAGE || !event.ports[0]) return;
  host = event.ports[0];
  host.onmessage = ({ data }) => onMessage(data);
  post({ type: 'ready' });
});

function post(message: FromPageMessage): void {
  host!.postMessage(message);
}

function onMessage(message: ToPageMessage): void {
  if (message.type === 'cancel') {
    // Cooperative, as in a worker: the trainer checks the signal between steps.
    cancel.abort();
  } else if (!busy) {
    busy = true;
    void trainRun(message).then((exitCode) => post({ type: 'ended', exitCode }));
  }
}

/** Trains the run; 0 when the job finished (whatever the run's status) or the page has no GPU, 1 when it threw. */
async function trainRun(message: Extract<ToPageMessage, { type: 'train' }>): Promise<number> {
  const { runId, spec, dataset } = message;
  try {
    let backend;
    try {
      backend = await loadBrowserWebGpuBackend({ allowSoftwareAdapter: message.allowSoftwareAdapter });
    } catch (error) {
      if (!(error instanceof WebGpuUnavailableError)) throw error;
      post({ type: 'unavailable', failure: error.failure, message: error.message });
      return 0;
    }
    const initFrom = message.initFrom && decodeWeightsFile(message.initFrom.bytes, message.initFrom.file);
    await train(spec, dataset, {
      backend,
      signal: cancel.signal,
      memoryLimitBytes: message.memoryLimitBytes,
      onEvent: (event) => post({ type: 'event', runId, event }),
      ...(initFrom ? { initFrom } : {}),
      ...(message.keepWeights ? { onFinalWeights: (weights) => post(finalWeights(weights)) } : {}),
    });
    return 0;
  } catch (error) {
    post(jobErrorMessage(error));
    return 1;
  }
}

/** The weights to send back, or why they cannot be read (the host warns, as a worker does when it cannot write them). */
function finalWeights(weights: () => ModelWeights): FromPageMessage {
  try {
    return { type: 'weights', weights: weights() };
  } catch (error) {
    return { type: 'weights', error: error instanceof Error ? error.message : String(error) };
  }
}
