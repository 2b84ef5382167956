import { join } from 'node:path';
import { BrowserWindow, MessageChannelMain, session } from 'electron';
import { TRAINER_PORT_MESSAGE } from '../lab/gpuPage/pageProtocol';
import { trainInPages, type PageChannel } from '../lab/gpuPage/pageTrainerPort';
import type { StartTrainer, TrainerPort } from '../lab/runner/trainerPort';
import { ALLOW_SOFTWARE_GPU_ENV_VAR } from '../engine/backend';

/**
 * GPU runs in the desktop app. Dawn's Node binding (the engine's webgpu backend in Node) cannot run inside
 * Electron, whose V8 memory cage refuses its external buffers, so a run that may use the GPU trains in a
 * hidden window on Chromium's own WebGPU instead: the page trainer built into out/gpuPage/ by
 * scripts/buildGpuPage.mjs (lab/gpuPage/pageTrainer.ts), one window per run, talking to the run manager
 * over a MessagePort. Where it has no GPU adapter, the run trains on cpu-blas in a worker thread
 * (PageTrainerPort).
 */

const pageDir = join(import.meta.dirname, '..', 'gpuPage');
/** Its own in-memory session: nothing of the app's window, no permissions. */
const PARTITION = 'curvelab-gpu-trainer';

/** RunManagerOptions.startTrainer for a backend preference: runs that may use the GPU in pages; none for the others. */
export function gpuPageTrainers(preference: string): ((startWorker: StartTrainer) => TrainerPort) | undefined {
  if (preference !== 'webgpu' && preference !== 'auto') return undefined;
  return trainInPages({ openPage: openGpuPage, allowSoftwareAdapter: process.env[ALLOW_SOFTWARE_GPU_ENV_VAR] === '1' });
}

async function openGpuPage(): Promise<PageChannel> {
  const pageSession = session.fromPartition(PARTITION);
  pageSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      preload: join(pageDir, 'preload.cjs'),
      session: pageSession,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // A hidden window's timers and frames are throttled by default; training must not be.
      backgroundThrottling: false,
    },
  });
  try {
    await window.loadFile(join(pageDir, 'index.html'));
  } catch (error) {
    window.destroy();
    throw error;
  }
  const { port1, port2 } = new MessageChannelMain();
  window.webContents.postMessage(TRAINER_PORT_MESSAGE, null, [port2]);
  port1.start();
  return {
    postMessage: (message) => port1.postMessage(message),
    onMessage: (listener) => port1.on('message', (event) => listener(event.data)),
    onGone: (listener) => {
      window.webContents.on('render-process-gone', (_event, details) => listener(`crashed (${details.reason})`));
      window.on('closed', () => listener('was closed'));
    },
    close: () => {
      port1.close();
      if (!window.isDestroyed()) window.destroy();
    },
  };
}
