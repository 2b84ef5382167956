import { contextBridge } from 'electron';
import type { CurveLabBridge } from './api';

// The page sees only this narrow object, never ipcRenderer itself. The Lab API joins it in a later step.
const bridge: CurveLabBridge = {
  transport: 'electron',
  versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '' },
};

contextBridge.exposeInMainWorld('curvelab', bridge);
