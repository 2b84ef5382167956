import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { labMethods, type LabEvent } from '../lab/api/labApi';
import { labChannel, labEventChannel } from '../electron/labChannels';
import type { CurveLabBridge, LabBridge } from './api';

/**
 * The sandboxed preload: the page sees only `window.curvelab`, a narrow object with one function per
 * Lab API method, never ipcRenderer itself (which would let the page send on any channel). Bundled as
 * CommonJS with labApi's method list inlined; it imports nothing else at run time but `electron`.
 */

const lab = Object.fromEntries(
  labMethods.map((method) => [method, (payload?: unknown) => ipcRenderer.invoke(labChannel(method), payload)]),
) as unknown as LabBridge;

function onEvent(listener: (event: LabEvent) => void): () => void {
  // Hand the page the event only: the IpcRendererEvent carries `sender`, which is ipcRenderer.
  const forward = (_event: IpcRendererEvent, labEvent: LabEvent) => listener(labEvent);
  ipcRenderer.on(labEventChannel, forward);
  return () => {
    ipcRenderer.removeListener(labEventChannel, forward);
  };
}

const bridge: CurveLabBridge = {
  transport: 'electron',
  versions: { electron: process.versions['electron'] ?? '', chrome: process.versions['chrome'] ?? '' },
  lab,
  onEvent,
};

contextBridge.exposeInMainWorld('curvelab', bridge);
