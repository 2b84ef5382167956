/** What the preload exposes to the page as `window.curvelab` (shared with the renderer as types only). */
export interface CurveLabBridge {
  transport: 'electron';
  versions: { electron: string; chrome: string };
}

declare global {
  interface Window {
    curvelab?: CurveLabBridge;
  }
}
