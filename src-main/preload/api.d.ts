import type { LabEvent, LabMethod, LabParams, LabResponse, LabResult } from '../lab/api/labApi';

/**
 * One Lab API method as the bridge carries it: the payload goes to main as is, and the answer comes
 * back as the wire envelope (the renderer's electronLabClient unwraps it). Methods without a payload
 * may be called with none.
 */
export type LabBridgeMethod<M extends LabMethod> = (
  ...payload: LabParams<M> extends undefined ? [payload?: undefined] : [payload: LabParams<M>]
) => Promise<LabResponse<LabResult<M>>>;

/** Every method in the Lab API's allow-list (labMethods), invoked over IPC on `lab:<method>`. */
export type LabBridge = { [M in LabMethod]: LabBridgeMethod<M> };

/** What the preload exposes to the page as `window.curvelab` (shared with the renderer as types only). */
export interface CurveLabBridge {
  transport: 'electron';
  versions: { electron: string; chrome: string };
  lab: LabBridge;
  /** Calls `listener` with every event the lab pushes; returns the function that stops it. */
  onEvent(listener: (event: LabEvent) => void): () => void;
}

declare global {
  interface Window {
    curvelab?: CurveLabBridge;
  }
}
