import { ipcRenderer } from 'electron';
import { TRAINER_PORT_MESSAGE } from '../lab/gpuPage/pageProtocol';

/**
 * The preload of a hidden window that trains a GPU run (gpuPageWindow.ts): hands the page the MessagePort
 * the main process sends, by a window message (a port cannot cross the context bridge), and exposes
 * nothing else. Bundled as CommonJS by scripts/buildGpuPage.mjs.
 */
ipcRenderer.once(TRAINER_PORT_MESSAGE, (event) => {
  (globalThis as unknown as { postMessage(message: string, targetOrigin: string, transfer: unknown[]): void }).postMessage(
    TRAINER_PORT_MESSAGE,
    '*',
    event.ports,
  );
});
