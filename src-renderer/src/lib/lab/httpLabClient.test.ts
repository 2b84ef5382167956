import { labMethods, type LabEvent } from '$api/labApi';
import { LabError } from '$api/labErrors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHttpLabClient, eventSocketUrl } from './httpLabClient';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that records each request and answers with the next queued response (or throws it). */
function fakeFetch(...answers: (Response | Error)[]) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const answer = answers.shift();
    if (answer === undefined) throw new Error('fakeFetch: no answer queued');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
}

const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Stands in for the browser's WebSocket: the test opens, feeds and drops each instance by hand. */
class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  closedByClient = false;
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  close(): void {
    this.closedByClient = true;
    this.onclose?.({});
  }
  open(): void {
    this.onopen?.({});
  }
  receive(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
  /** The connection fails or drops from the server's side. */
  drop(): void {
    this.onerror?.({});
    this.onclose?.({});
  }
}

const sockets = FakeWebSocket.instances;
const WebSocketImpl = FakeWebSocket as unknown as typeof WebSocket;

beforeEach(() => {
  sockets.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createHttpLabClient: calls', () => {
  it('POSTs each method to /api/<method> with the payload as JSON and unwraps the value', async () => {
    const { fetch, sent } = fakeFetch(json({ ok: true, value: { id: 3, name: 'x' } }), json({ ok: true, value: [] }));
    const client = createHttpLabClient({ baseUrl: 'http://127.0.0.1:7860/', fetch });
    expect(client.transport).toBe('web');

    await expect(client.getExperiment({ id: 3 })).resolves.toEqual({ id: 3, name: 'x' });
    expect(sent[0]!.url).toBe('http://127.0.0.1:7860/api/getExperiment');
    expect(sent[0]!.init.method).toBe('POST');
    expect(sent[0]!.init.body).toBe('{"id":3}');
    expect(sent[0]!.init.headers).toEqual({ 'Content-Type': 'application/json' });

    await expect(client.listExperiments()).resolves.toEqual([]);
    expect(sent[1]!.url).toBe('http://127.0.0.1:7860/api/listExperiments');
    expect(sent[1]!.init.body).toBeUndefined(); // no payload: empty body
  });

  it('has every Lab API method, each posting to its own path', async () => {
    expect(labMethods).toHaveLength(36); // the contract as written in labApi.ts (25 + the 7 study methods + getRunHistory, listWorkers, resumeRun and exportWeights)
    const answers = labMethods.map(() => json({ ok: true, value: null }));
    const { fetch, sent } = fakeFetch(...answers);
    const client = createHttpLabClient({ baseUrl: 'http://lab', fetch });
    for (const method of labMethods) {
      await (client[method] as (p?: unknown) => Promise<unknown>)({});
    }
    expect(sent.map((s) => s.url)).toEqual(labMethods.map((m) => `http://lab/api/${m}`));
  });

  it('sends the token as a Bearer header', async () => {
    const { fetch, sent } = fakeFetch(json({ ok: true, value: [] }));
    await createHttpLabClient({ baseUrl: 'http://lab', token: 's3cret', fetch }).listRuns({});
    expect(sent[0]!.init.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer s3cret' });
  });

  it('rejects an {ok:false} envelope with its LabError, field included, whatever the HTTP status', async () => {
    const { fetch } = fakeFetch(
      json({ ok: false, error: { code: 'invalid-request', message: "createExperiment: field 'name': too short", field: 'name' } }),
      json({ ok: false, error: { code: 'unauthorized', message: 'needs the token' } }, 401),
    );
    const client = createHttpLabClient({ baseUrl: 'http://lab', fetch });
    const first = await client.createExperiment({ name: '' }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(LabError);
    expect(first).toMatchObject({ code: 'invalid-request', field: 'name', message: "createExperiment: field 'name': too short" });
    const second = await client.listExperiments().catch((e: unknown) => e);
    expect(second).toBeInstanceOf(LabError);
    expect(second).toMatchObject({ code: 'unauthorized', message: 'needs the token', field: undefined });
  });

  it('rejects with an internal LabError saying the server cannot be reached when fetch fails', async () => {
    const { fetch } = fakeFetch(new TypeError('fetch failed'));
    const error = await createHttpLabClient({ baseUrl: 'http://127.0.0.1:7860', fetch })
      .listExperiments()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as LabError).message).toMatch(/lab server at http:\/\/127\.0\.0\.1:7860 cannot be reached \(fetch failed\)/);
  });

  it('rejects with an internal LabError when the answer is not an envelope', async () => {
    const { fetch } = fakeFetch(new Response('<html>Bad Gateway</html>', { status: 502 }), json({ hello: 'world' }));
    const client = createHttpLabClient({ baseUrl: 'http://lab', fetch });
    await expect(client.listExperiments()).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/HTTP 502 but no readable envelope/) });
    await expect(client.listExperiments()).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/not a Lab API envelope/) });
  });
});

describe('eventSocketUrl', () => {
  it.each([
    ['http://127.0.0.1:7860', undefined, 'ws://127.0.0.1:7860/api/events'],
    ['http://127.0.0.1:7860/', 'a+b/c', 'ws://127.0.0.1:7860/api/events?token=a%2Bb%2Fc'],
    ['https://lab.example', 'tok', 'wss://lab.example/api/events?token=tok'],
  ])('%s with token %s → %s', (base, token, url) => {
    expect(eventSocketUrl(base, token)).toBe(url);
  });
});

describe('createHttpLabClient: events', () => {
  const client = () => createHttpLabClient({ baseUrl: 'http://lab:1', token: 'tok', fetch: fakeFetch().fetch, WebSocket: WebSocketImpl });

  it('opens one socket with the first listener, shares it, and closes it with the last', () => {
    const lab = client();
    expect(sockets).toHaveLength(0); // lazily
    const a: LabEvent[] = [];
    const b: LabEvent[] = [];
    const stopA = lab.subscribe((e) => a.push(e));
    const stopB = lab.subscribe((e) => b.push(e));
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe('ws://lab:1/api/events?token=tok');

    const socket = sockets[0]!;
    socket.open();
    socket.receive({ type: 'run-status', runId: 4, run: null });
    socket.receive('not json');
    socket.receive({ no: 'type' });
    expect(a).toEqual([{ type: 'run-status', runId: 4, run: null }]); // no event on the first open
    expect(b).toEqual(a);

    stopA();
    expect(socket.closedByClient).toBe(false);
    stopA(); // twice is harmless
    stopB();
    expect(socket.closedByClient).toBe(true);
    expect(sockets).toHaveLength(1); // closing on purpose does not reconnect

    lab.subscribe(() => {});
    expect(sockets).toHaveLength(2);
  });

  it('reconnects with doubling delays and then emits experiments-changed', () => {
    vi.useFakeTimers();
    const lab = createHttpLabClient({ baseUrl: 'http://lab', fetch: fakeFetch().fetch, WebSocket: WebSocketImpl, reconnectDelayMs: 100, maxReconnectDelayMs: 250 });
    const seen: LabEvent[] = [];
    lab.subscribe((e) => seen.push(e));
    sockets[0]!.open();
    sockets[0]!.drop();

    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2); // after 100 ms
    sockets[1]!.drop(); // the server is still down

    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3); // after 200 ms
    sockets[2]!.drop();

    vi.advanceTimersByTime(249);
    expect(sockets).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(4); // 400 ms capped at 250
    expect(seen).toEqual([]);

    sockets[3]!.open();
    expect(seen).toEqual([{ type: 'experiments-changed' }]);
    sockets[3]!.receive({ type: 'datasets-changed' });
    expect(seen).toEqual([{ type: 'experiments-changed' }, { type: 'datasets-changed' }]);

    // After a good connection the backoff starts again from the first delay.
    sockets[3]!.drop();
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(5);
  });

  it('stops reconnecting when the last listener leaves while it waits', () => {
    vi.useFakeTimers();
    const lab = createHttpLabClient({ baseUrl: 'http://lab', fetch: fakeFetch().fetch, WebSocket: WebSocketImpl, reconnectDelayMs: 100 });
    const stop = lab.subscribe(() => {});
    sockets[0]!.drop();
    stop();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
  });

  it('keeps delivering to the other listeners when one throws', () => {
    const thrown: unknown[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => {
      try {
        task();
      } catch (error) {
        thrown.push(error);
      }
    });
    const lab = client();
    const seen: LabEvent[] = [];
    lab.subscribe(() => {
      throw new Error('broken view');
    });
    lab.subscribe((e) => seen.push(e));
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'experiments-changed' });
    expect(seen).toEqual([{ type: 'experiments-changed' }]);
    expect(thrown).toEqual([new Error('broken view')]);
  });
});
