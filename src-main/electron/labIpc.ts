import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { labMethods, type LabEvent, type LabMethod, type LabResponse } from '../lab/api/labApi';
import type { LabDispatch } from '../lab/api/labDispatcher';
import { LabError } from '../lab/api/labErrors';
import { labChannel } from './labChannels';

/** The part of ipcMain the Lab API needs (a fake in tests). */
export type LabIpcMain = Pick<IpcMain, 'handle' | 'removeHandler'>;

/**
 * Serves the Lab API over IPC: one `ipcMain.handle('lab:<method>')` per method in the allow-list, each
 * answering with the LabResponse envelope from `dispatch` (which validates the payload), after checking
 * that the message comes from our own page. Nothing here throws back to the renderer: every failure is
 * an `{ ok: false }` envelope. Returns the function that removes the handlers again.
 *
 * `onRefused` hears about calls from untrusted senders (main logs them).
 */
export function registerLabIpc(
  ipcMain: LabIpcMain,
  dispatch: LabDispatch,
  isTrustedSender: (frame: { url: string } | null) => boolean,
  onRefused: (method: LabMethod, url: string | null) => void = () => {},
): () => void {
  for (const method of labMethods) {
    ipcMain.handle(labChannel(method), async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<LabResponse> => {
      const frame = senderFrameOf(event);
      if (!isTrustedSender(frame)) {
        onRefused(method, frame?.url ?? null);
        return refusal(new LabError('unauthorized', `${method}: refused a call from outside CurveLab's own window`));
      }
      // The preload always sends exactly one payload (possibly undefined); more means someone else is calling.
      if (args.length > 1) return refusal(new LabError('invalid-request', `${method}: expected one payload, got ${args.length} arguments`));
      return dispatch(method, args[0]);
    });
  }
  return () => {
    for (const method of labMethods) ipcMain.removeHandler(labChannel(method));
  };
}

/**
 * Pushes every lab event to the window through `send` (main passes one that targets the window's
 * webContents on `lab:event`). Returns the function that stops forwarding.
 */
export function forwardLabEvents(
  subscribe: (listener: (event: LabEvent) => void) => () => void,
  send: (event: LabEvent) => void,
): () => void {
  return subscribe((event) => send(event));
}

function refusal(error: LabError): LabResponse {
  return { ok: false, error: error.toInfo() };
}

/** Electron throws when the frame was disposed before it could be read: treat that as no frame. */
function senderFrameOf(event: IpcMainInvokeEvent): { url: string } | null {
  try {
    return event.senderFrame;
  } catch {
    return null;
  }
}
