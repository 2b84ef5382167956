import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { LabEvent } from '../lab/api/labApi';

export interface EventSocketOptions {
  /** How often each client is pinged; one that has not answered the previous ping by then is dropped. */
  pingIntervalMs: number;
  /** A client this far behind (bytes queued for it) is too slow to follow the lab: it is dropped. */
  maxBufferedBytes: number;
}

export interface EventSocketHub {
  /** Completes the WebSocket handshake of an upgrade request that has already been authorised. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Clients connected now. */
  readonly clientCount: number;
  /** Closes every client (1001, going away) and stops listening to the lab. */
  close(): void;
}

/**
 * Pushes every lab event to every connected client as one JSON text message. The hub holds a single
 * subscription to the lab while at least one client is connected (so each event is serialised once),
 * and a ping/pong keepalive so that clients that vanished without closing are noticed and dropped.
 * Clients have nothing to say: what they send is ignored, and messages are capped small.
 */
export function createEventSocketHub(subscribe: (listener: (event: LabEvent) => void) => () => void, options: EventSocketOptions): EventSocketHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const alive = new Map<WebSocket, boolean>();
  let unsubscribe: (() => void) | null = null;

  const broadcast = (event: LabEvent): void => {
    const message = JSON.stringify(event);
    for (const client of alive.keys()) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > options.maxBufferedBytes) {
        client.terminate();
        continue;
      }
      client.send(message);
    }
  };

  const drop = (client: WebSocket): void => {
    alive.delete(client);
    if (alive.size === 0 && unsubscribe) {
      unsubscribe();
      unsubscribe = null;
    }
  };

  const keepalive = setInterval(() => {
    for (const [client, answered] of alive) {
      if (!answered) {
        client.terminate(); // 'close' follows and drops it
        continue;
      }
      alive.set(client, false);
      client.ping();
    }
  }, options.pingIntervalMs);
  keepalive.unref();

  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (client) => {
        alive.set(client, true);
        unsubscribe ??= subscribe(broadcast);
        client.on('pong', () => {
          if (alive.has(client)) alive.set(client, true);
        });
        client.on('close', () => drop(client));
        client.on('error', () => client.terminate());
      });
    },
    get clientCount() {
      return alive.size;
    },
    close() {
      clearInterval(keepalive);
      for (const client of [...alive.keys()]) {
        client.close(1001, 'the lab server is shutting down');
        // A client that does not answer the close handshake must not hold the server open.
        setTimeout(() => client.terminate(), 1000).unref();
        drop(client);
      }
      wss.close();
    },
  };
}
