import { labMethods, type LabApi, type LabErrorInfo, type LabEvent, type LabMethod, type LabResponse } from '$api/labApi';
import { LabError } from '$api/labErrors';
import type { LabClient } from './labClient';

export interface HttpLabClientOptions {
  /** Where `curvelab serve` listens, e.g. `http://127.0.0.1:7860` (the page's own origin in web mode). */
  baseUrl: string;
  /** The access token `curvelab serve` printed in the page's address (`?token=`): the server requires it on every call. */
  token?: string;
  /** Replaceable for tests; default the global one. */
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
  /** The first wait before reconnecting the event socket; it doubles after each failure. Default 500 ms. */
  reconnectDelayMs?: number;
  /** The longest wait between reconnection attempts. Default 10 s. */
  maxReconnectDelayMs?: number;
}

type Listener = (event: LabEvent) => void;

// Every name in LabApi must be in labMethods, or the table below would lack it: this fails to compile then.
type ForgottenMethods = Exclude<LabMethod, (typeof labMethods)[number]>;
const everyMethodListed: [ForgottenMethods] extends [never] ? true : ForgottenMethods = true;
void everyMethodListed;

/**
 * The Lab API over HTTP and its events over a WebSocket (web mode, `curvelab serve`).
 *
 * Each method is `POST <baseUrl>/api/<method>` with the payload as JSON; the server answers with the
 * wire envelope, and `{ok: false}` rejects with the LabError it carries. When the server cannot be
 * reached the call rejects with a LabError `internal` that says so.
 *
 * Events: one WebSocket, opened with the first listener and closed with the last. When it drops it
 * reconnects with exponential backoff, and after reconnecting it emits `experiments-changed` so that
 * views refetch whatever changed while it was away.
 */
export function createHttpLabClient(options: HttpLabClientOptions): LabClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (options.token) headers['Authorization'] = `Bearer ${options.token}`;

  async function call(method: LabMethod, payload: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}/api/${method}`, {
        method: 'POST',
        headers,
        ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
      });
    } catch (error) {
      throw new LabError('internal', `the lab server at ${baseUrl} cannot be reached (${messageOf(error)}): is curvelab serve still running?`);
    }
    let envelope: unknown;
    try {
      envelope = await response.json();
    } catch (error) {
      throw new LabError('internal', `the lab server at ${baseUrl} answered ${method} with HTTP ${response.status} but no readable envelope (${messageOf(error)})`);
    }
    if (!isEnvelope(envelope)) {
      throw new LabError('internal', `the lab server at ${baseUrl} answered ${method} with HTTP ${response.status} but not a Lab API envelope`);
    }
    if (!envelope.ok) throw LabError.fromInfo(envelope.error);
    return envelope.value;
  }

  const api: Partial<Record<LabMethod, (payload?: unknown) => Promise<unknown>>> = {};
  for (const method of labMethods) api[method] = (payload?: unknown) => call(method, payload);

  const events = createEventSocket({
    url: eventSocketUrl(baseUrl, options.token),
    WebSocket: options.WebSocket ?? globalThis.WebSocket,
    reconnectDelayMs: options.reconnectDelayMs ?? 500,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 10_000,
  });

  // Every method is in the table (checked above), so this is the whole LabApi.
  return { ...(api as LabApi), transport: 'web', subscribe: events.subscribe };
}

/** `ws(s)://…/api/events`, with the token in the query: a browser cannot set headers on a WebSocket. */
export function eventSocketUrl(baseUrl: string, token: string | undefined): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/api/events`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

interface EventSocketOptions {
  url: string;
  WebSocket: typeof WebSocket;
  reconnectDelayMs: number;
  maxReconnectDelayMs: number;
}

function createEventSocket(options: EventSocketOptions): { subscribe(listener: Listener): () => void } {
  // One entry per subscribe call, so the same function subscribed twice is two subscriptions.
  const listeners = new Set<{ listener: Listener }>();
  let socket: WebSocket | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  /** The socket dropped (or could not open) while someone listened: events may have been missed. */
  let missedEvents = false;

  const emit = (event: LabEvent): void => {
    for (const { listener } of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken view must not keep events from the others; the error still surfaces.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  const connect = (): void => {
    const ws = new options.WebSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      failures = 0;
      if (missedEvents) {
        missedEvents = false;
        emit({ type: 'experiments-changed' });
      }
    };
    ws.onmessage = (message: MessageEvent) => {
      if (socket !== ws) return;
      const event = parseEvent(message.data);
      if (event) emit(event);
    };
    // An error is always followed by close, which does the work.
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket !== ws) return; // closed on purpose
      socket = null;
      missedEvents = true;
      scheduleReconnect();
    };
  };

  const scheduleReconnect = (): void => {
    if (listeners.size === 0 || reconnectTimer !== null) return;
    const delay = Math.min(options.reconnectDelayMs * 2 ** failures, options.maxReconnectDelayMs);
    failures += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      if (listeners.size > 0 && socket === null) connect();
    }, delay);
  };

  const disconnect = (): void => {
    if (reconnectTimer !== null) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    failures = 0;
    missedEvents = false;
    const ws = socket;
    socket = null;
    ws?.close();
  };

  return {
    subscribe(listener) {
      const entry = { listener };
      listeners.add(entry);
      if (socket === null && reconnectTimer === null) connect();
      return () => {
        if (!listeners.delete(entry)) return;
        if (listeners.size === 0) disconnect();
      };
    },
  };
}

function parseEvent(data: unknown): LabEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const event = JSON.parse(data) as unknown;
    return typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string' ? (event as LabEvent) : null;
  } catch {
    return null;
  }
}

function isEnvelope(value: unknown): value is LabResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; value?: unknown; error?: Partial<LabErrorInfo> };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error === 'object' && v.error !== null && typeof v.error.code === 'string' && typeof v.error.message === 'string';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
