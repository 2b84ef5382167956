import { labMethods, type LabApi, type LabMethod, type LabResponse } from '$api/labApi';
import { LabError } from '$api/labErrors';
import type { CurveLabBridge } from '../../../../src-main/preload/api';
import type { LabClient } from './labClient';

/**
 * The LabClient of the desktop app: each method calls the preload bridge (`window.curvelab`) and turns
 * the envelope main answers with into the value, or a LabError rejection carrying main's code, message
 * and field. A failure of IPC itself (no handler, a torn-down window) becomes an `internal` LabError,
 * so that callers only ever see LabErrors.
 */
export function createElectronLabClient(bridge: CurveLabBridge): LabClient {
  const call = async (method: LabMethod, payload: unknown): Promise<unknown> => {
    let response: LabResponse;
    try {
      const invoke = bridge.lab[method] as (payload: unknown) => Promise<LabResponse>;
      response = await invoke(payload);
    } catch (error) {
      throw new LabError('internal', `${method}: the call did not reach the lab (${error instanceof Error ? error.message : String(error)})`);
    }
    if (response.ok) return response.value;
    throw LabError.fromInfo(response.error);
  };

  const api = Object.fromEntries(labMethods.map((method) => [method, (payload?: unknown) => call(method, payload)])) as unknown as LabApi;
  return {
    ...api,
    transport: 'electron',
    subscribe: (listener) => bridge.onEvent(listener),
  };
}
