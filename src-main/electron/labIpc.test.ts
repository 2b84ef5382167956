import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { labMethods, type LabApi, type LabEvent, type LabMethod, type OptimizerDescriptor } from '../lab/api/labApi';
import { createLabDispatch } from '../lab/api/labDispatcher';
import { forwardLabEvents, registerLabIpc, type LabIpcMain } from './labIpc';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** Collects handlers like ipcMain does, including its refusal to register a channel twice. */
function fakeIpcMain(): LabIpcMain & { handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle(channel: string, listener: Handler) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
}

const optimizers: OptimizerDescriptor[] = [{ name: 'sgd', description: 'plain SGD', options: [], traces: ['lr'] }];

/** A LabApi whose every method records its call; listOptimizers and getRun answer with fixed data. */
function fakeApi(): { api: LabApi; calls: { method: LabMethod; payload: unknown }[] } {
  const calls: { method: LabMethod; payload: unknown }[] = [];
  const answers: Partial<Record<LabMethod, (payload: unknown) => unknown>> = {
    listOptimizers: () => optimizers,
    getRun: (p) => ({ id: (p as { id: number }).id, status: 'completed' }),
  };
  const api = Object.fromEntries(
    labMethods.map((method) => [
      method,
      async (payload: unknown) => {
        calls.push({ method, payload });
        return answers[method]?.(payload);
      },
    ]),
  ) as unknown as LabApi;
  return { api, calls };
}

const ours = 'file:///opt/curvelab/out/renderer/index.html';
const trusted = (frame: { url: string } | null) => frame?.url === ours;
const eventFrom = (url: string | null) => ({ senderFrame: url === null ? null : { url } }) as unknown as IpcMainInvokeEvent;

function setup() {
  const ipc = fakeIpcMain();
  const { api, calls } = fakeApi();
  const refused: { method: string; url: string | null }[] = [];
  const unregister = registerLabIpc(ipc, createLabDispatch(api, () => {}), trusted, (method, url) => refused.push({ method, url }));
  const invoke = (method: string, url: string | null, ...args: unknown[]) => ipc.handlers.get(`lab:${method}`)!(eventFrom(url), ...args);
  return { ipc, calls, refused, unregister, invoke };
}

describe('registerLabIpc', () => {
  it('registers exactly one handler per Lab API method, on lab:<method>, and removes them all again', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(labMethods.map((m) => `lab:${m}`).sort());
    expect(ipc.handlers.size).toBe(labMethods.length);
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers a good call from our page with the handler value in an ok envelope', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('listOptimizers', ours, undefined)).toEqual({ ok: true, value: optimizers });
    expect(await invoke('getRun', ours, { id: 7 })).toEqual({ ok: true, value: { id: 7, status: 'completed' } });
    expect(calls).toEqual([
      { method: 'listOptimizers', payload: undefined },
      { method: 'getRun', payload: { id: 7 } },
    ]);
  });

  it('turns a malformed payload into a typed invalid-request envelope naming the field, without calling the lab', async () => {
    const { invoke, calls } = setup();
    const response = await invoke('getRun', ours, { id: 'seven' });
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid-request', field: 'id' } });
    expect((response as { error: { message: string } }).error.message).toMatch(/^getRun: field 'id'/);
    expect(await invoke('createExperiment', ours, { name: 'x', colour: 'red' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(calls).toEqual([]);
  });

  it('refuses extra arguments (the preload sends exactly one payload)', async () => {
    const { invoke, calls } = setup();
    expect(await invoke('getRun', ours, { id: 1 }, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(calls).toEqual([]);
  });

  it('answers a call from any other page, or from a frame that is gone, with unauthorized and never reaches the lab', async () => {
    const { invoke, calls, refused } = setup();
    expect(await invoke('deleteExperiment', 'https://evil.example', { id: 1 })).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: "deleteExperiment: refused a call from outside CurveLab's own window" },
    });
    expect(await invoke('listOptimizers', null, undefined)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(calls).toEqual([]);
    expect(refused).toEqual([
      { method: 'deleteExperiment', url: 'https://evil.example' },
      { method: 'listOptimizers', url: null },
    ]);
  });

  it('treats a sender frame that throws on access (disposed) as untrusted', async () => {
    const { ipc, calls } = setup();
    const disposed = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    } as unknown as IpcMainInvokeEvent;
    expect(await ipc.handlers.get('lab:listOptimizers')!(disposed, undefined)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(calls).toEqual([]);
  });
});

describe('forwardLabEvents', () => {
  it('sends every event the lab emits, in order, until stopped', () => {
    const listeners = new Set<(event: LabEvent) => void>();
    const subscribe = (listener: (event: LabEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    const emit = (event: LabEvent) => listeners.forEach((l) => l(event));
    const sent: LabEvent[] = [];

    const stop = forwardLabEvents(subscribe, (event) => sent.push(event));
    emit({ type: 'experiments-changed' });
    emit({ type: 'run-status', runId: 3, run: null });
    stop();
    emit({ type: 'datasets-changed' });

    expect(sent).toEqual([{ type: 'experiments-changed' }, { type: 'run-status', runId: 3, run: null }]);
    expect(listeners.size).toBe(0);
  });
});
