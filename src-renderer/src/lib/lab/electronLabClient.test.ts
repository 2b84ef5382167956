import { describe, expect, it } from 'vitest';
import { labMethods, type LabEvent, type LabResponse, type OptimizerDescriptor } from '$api/labApi';
import { LabError } from '$api/labErrors';
import type { CurveLabBridge, LabBridge } from '../../../../src-main/preload/api';
import { createElectronLabClient } from './electronLabClient';

const optimizers: OptimizerDescriptor[] = [{ name: 'curveball', description: 'CurveBall', options: [], traces: ['rho', 'beta', 'lambda'] }];

/** A bridge whose methods answer with the envelopes given per method, recording each call. */
function fakeBridge(answers: Partial<Record<string, (payload: unknown) => Promise<LabResponse>>>) {
  const calls: { method: string; payload: unknown }[] = [];
  const listeners = new Set<(event: LabEvent) => void>();
  const lab = Object.fromEntries(
    labMethods.map((method) => [
      method,
      (payload?: unknown) => {
        calls.push({ method, payload });
        const answer = answers[method];
        return answer ? answer(payload) : Promise.resolve({ ok: true, value: null });
      },
    ]),
  ) as unknown as LabBridge;
  const bridge: CurveLabBridge = {
    transport: 'electron',
    versions: { electron: '39.8.10', chrome: '142.0.0.0' },
    lab,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { bridge, calls, listeners };
}

describe('createElectronLabClient', () => {
  it('has every Lab API method, and says it is the electron transport', () => {
    const client = createElectronLabClient(fakeBridge({}).bridge);
    expect(client.transport).toBe('electron');
    for (const method of labMethods) expect(typeof client[method], method).toBe('function');
  });

  it('sends the payload to the same method of the bridge and resolves with the unwrapped value', async () => {
    const { bridge, calls } = fakeBridge({
      listOptimizers: async () => ({ ok: true, value: optimizers }),
      getExperiment: async (p) => ({ ok: true, value: { experiment: { id: (p as { id: number }).id }, runs: [] } }),
    });
    const client = createElectronLabClient(bridge);
    expect(await client.listOptimizers()).toEqual(optimizers);
    expect(await client.getExperiment({ id: 12 })).toEqual({ experiment: { id: 12 }, runs: [] });
    expect(calls).toEqual([
      { method: 'listOptimizers', payload: undefined },
      { method: 'getExperiment', payload: { id: 12 } },
    ]);
  });

  it("rejects with a LabError carrying main's code, message and field", async () => {
    const { bridge } = fakeBridge({
      getRun: async () => ({ ok: false, error: { code: 'invalid-request', message: "getRun: field 'id': expected number", field: 'id' } }),
      deleteRun: async () => ({ ok: false, error: { code: 'not-found', message: 'no run with id 9' } }),
    });
    const client = createElectronLabClient(bridge);

    const invalid = await client.getRun({ id: 0 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(LabError);
    expect(invalid).toMatchObject({ code: 'invalid-request', message: "getRun: field 'id': expected number", field: 'id' });

    const missing = await client.deleteRun({ id: 9 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LabError);
    expect((missing as LabError).toInfo()).toEqual({ code: 'not-found', message: 'no run with id 9' });
  });

  it('turns a failed IPC call into an internal LabError naming the method', async () => {
    const { bridge } = fakeBridge({
      listRuns: () => Promise.reject(new Error("No handler registered for 'lab:listRuns'")),
    });
    const error = await createElectronLabClient(bridge)
      .listRuns({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error).toMatchObject({
      code: 'internal',
      message: "listRuns: the call did not reach the lab (No handler registered for 'lab:listRuns')",
    });
  });

  it('subscribe listens through the bridge and its return value stops listening', () => {
    const { bridge, listeners } = fakeBridge({});
    const client = createElectronLabClient(bridge);
    const received: LabEvent[] = [];
    const stop = client.subscribe((event) => received.push(event));
    listeners.forEach((l) => l({ type: 'datasets-changed' }));
    stop();
    expect(received).toEqual([{ type: 'datasets-changed' }]);
    expect(listeners.size).toBe(0);
  });
});
