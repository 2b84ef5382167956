import { beforeAll, describe, expect, it, vi } from 'vitest';
import { labMethods, type LabEvent } from '../lab/api/labApi';
import type { CurveLabBridge } from './api';

/** Stands in for Electron's preload modules: records what is exposed, invoked and listened to. */
const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const ipcRenderer = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { channel, args } })),
    on(channel: string, listener: (...args: unknown[]) => void) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: (...args: unknown[]) => void) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
    send: vi.fn(),
  };
  const exposed = new Map<string, unknown>();
  const contextBridge = { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) };
  /** Delivers a message from main the way Electron does: (IpcRendererEvent, ...args). */
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: ipcRenderer }, payload));
  return { ipcRenderer, contextBridge, exposed, listeners, emit };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

let bridge: CurveLabBridge;
beforeAll(async () => {
  await import('./preload');
  bridge = electron.exposed.get('curvelab') as CurveLabBridge;
});

/** Every value reachable from `root` (functions' own properties included), to look for leaks. */
function reachable(root: unknown, seen = new Set<unknown>()): Set<unknown> {
  if ((typeof root !== 'object' && typeof root !== 'function') || root === null || seen.has(root)) return seen;
  seen.add(root);
  for (const key of Object.keys(root)) reachable((root as Record<string, unknown>)[key], seen);
  return seen;
}

describe('preload bridge', () => {
  it('exposes exactly window.curvelab = { transport, versions, lab, onEvent }', () => {
    expect([...electron.exposed.keys()]).toEqual(['curvelab']);
    expect(Object.keys(bridge).sort()).toEqual(['lab', 'onEvent', 'transport', 'versions']);
    expect(bridge.transport).toBe('electron');
    expect(Object.keys(bridge.versions).sort()).toEqual(['chrome', 'electron']);
  });

  it('has one function per Lab API method and nothing else under lab', () => {
    expect(Object.keys(bridge.lab).sort()).toEqual([...labMethods].sort());
    for (const method of labMethods) expect(typeof bridge.lab[method], method).toBe('function');
  });

  it('invokes lab:<method> with exactly the payload and returns the envelope from main', async () => {
    electron.ipcRenderer.invoke.mockClear();
    expect(await bridge.lab.getRun({ id: 4 })).toEqual({ ok: true, value: { channel: 'lab:getRun', args: [{ id: 4 }] } });
    await bridge.lab.listOptimizers();
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([
      ['lab:getRun', { id: 4 }],
      ['lab:listOptimizers', undefined],
    ]);
  });

  it('never hands the page ipcRenderer: not in the bridge, not in event callbacks', () => {
    expect(reachable(bridge).has(electron.ipcRenderer)).toBe(false);

    const received: unknown[][] = [];
    const stop = bridge.onEvent((...args: unknown[]) => received.push(args));
    const event: LabEvent = { type: 'run-status', runId: 2, run: null };
    electron.emit('lab:event', event);
    expect(received).toEqual([[event]]);
    stop();
  });

  it('onEvent listens on lab:event until its unsubscribe function is called', () => {
    const received: LabEvent[] = [];
    const stop = bridge.onEvent((event) => received.push(event));
    electron.emit('lab:event', { type: 'experiments-changed' });
    electron.emit('lab:other', { type: 'datasets-changed' });
    stop();
    electron.emit('lab:event', { type: 'datasets-changed' });
    expect(received).toEqual([{ type: 'experiments-changed' }]);
    expect(electron.listeners.get('lab:event')?.size ?? 0).toBe(0);
  });
});
