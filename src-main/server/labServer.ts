import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { bearerToken, tokensMatch } from './accessToken';
import { datasetFilesPath, serveDatasetFiles } from './datasetFileRoutes';
import { createEventSocketHub } from './eventSocket';
import { rejectUpgrade, sendError, sendJson } from './httpResponses';
import type { LabHost } from './labHost';
import { bodyLimitsOf } from './bodyLimits';
import { ListenError } from './listenError';
import { readJsonPayload } from './readJsonPayload';
import { checkRequestOrigin, isLoopbackHost, type OriginPolicy } from './requestOrigin';
import { serveStaticFile } from './staticFiles';

export interface LabServerOptions {
  /** The address to listen on. */
  host: string;
  /** 0: any free port (see LabServer.port). */
  port: number;
  /** The built renderer (`out/renderer`); it may not exist yet. */
  staticDir: string;
  /** Every API call and the event socket must carry it, whatever the address: local users are not trusted either. */
  token: string;
  /** The largest request body accepted, for archives and uploads (they travel base64); other calls take at most 4 MiB. Default 256 MiB. */
  maxBodyBytes?: number;
  /** WebSocket keepalive period. Default 30 s. */
  pingIntervalMs?: number;
}

export interface LabServer {
  /** Where a browser finds it, e.g. `http://127.0.0.1:7860/` (without the token). */
  url: string;
  port: number;
  /** Stops listening, drops every client, and resolves once the server is closed. */
  close(): Promise<void>;
}

const EVENTS_PATH = '/api/events';
const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;
/** How long the rest of a refused body is read and dropped, so that the client reads the refusal, before its connection is closed. */
const REFUSED_BODY_GRACE_MS = 1000;
const unauthorizedMessage = 'this lab server needs the access token that `curvelab serve` printed: send "Authorization: Bearer <token>" (or ?token= on the event socket)';

/**
 * Web mode's transport: the Lab API over HTTP and its events over a WebSocket, plus the renderer's
 * files. A thin adapter over `host.dispatch`, which validates every call and never throws:
 *
 *   POST /api/<method>   JSON body = payload (empty = none) → 200 + the LabResponse envelope
 *   GET  /api/events     WebSocket: each LabEvent as one JSON text message
 *   GET  /api/datasets/by-hash/…  a registered dataset's files, for remote workers (datasetFileRoutes.ts)
 *   GET  /…              the built renderer
 *
 * Transport errors use the same envelope: 400 invalid-request (body not JSON or too large), 401/403
 * unauthorized (token missing, foreign origin), 404 not-found, 405 wrong HTTP method.
 */
export async function startLabServer(host: LabHost, options: LabServerOptions): Promise<LabServer> {
  if (!options.token) throw new Error(`startLabServer: refusing to serve the lab on ${options.host} without an access token`);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const hub = createEventSocketHub((listener) => host.subscribe(listener), {
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    maxBufferedBytes: 64 * 1024 * 1024,
  });
  // Known once listening (the port may be 0 until then).
  const policy: OriginPolicy = { loopback: isLoopbackHost(options.host), port: options.port };

  const authorised = (req: IncomingMessage, queryToken: string | null): boolean =>
    tokensMatch(options.token, bearerToken(req.headers.authorization) ?? queryToken ?? undefined);

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const refused = checkRequestOrigin(req.headers, policy);
    if (refused !== null) return sendError(res, 403, 'unauthorized', `refused: ${refused}`);
    if (!authorised(req, null)) return sendError(res, 401, 'unauthorized', unauthorizedMessage, { 'WWW-Authenticate': 'Bearer' });
    if (pathname === EVENTS_PATH) {
      return req.method === 'GET'
        ? sendError(res, 426, 'invalid-request', `${EVENTS_PATH} is a WebSocket: connect with a WebSocket client`, { Upgrade: 'websocket' })
        : sendError(res, 405, 'invalid-request', `${EVENTS_PATH} takes GET (a WebSocket upgrade), not ${req.method}`, { Allow: 'GET' });
    }
    if (pathname.startsWith(datasetFilesPath)) return serveDatasetFiles(req, res, pathname, host.datasetFiles);
    const match = /^\/api\/([^/]+)$/.exec(pathname);
    if (!match) return sendError(res, 404, 'not-found', `no such API path: ${pathname} (calls are POST /api/<method>)`);
    if (req.method !== 'POST') return sendError(res, 405, 'invalid-request', `Lab API calls take POST, not ${req.method}`, { Allow: 'POST' });
    const body = await readJsonPayload(req, bodyLimitsOf(match[1]!, maxBodyBytes));
    if (!body.ok) {
      // Whatever of the body is still unread is not worth reading: answer, let the server drop what still
      // comes for a moment (closing on unread data resets the connection, and the client loses the
      // answer), then drop the connection.
      const dropConnection = (): void => {
        if (!req.complete) req.socket.destroy();
      };
      res.once('finish', () => setTimeout(dropConnection, REFUSED_BODY_GRACE_MS).unref());
      return sendError(res, 400, 'invalid-request', body.message);
    }
    const response = await host.dispatch(match[1]!, body.payload);
    sendJson(res, 200, response);
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    if (url === null || url.pathname !== EVENTS_PATH) return rejectUpgrade(socket, 404, 'not-found', `no WebSocket at ${url?.pathname ?? req.url}; events are at ${EVENTS_PATH}`);
    const refused = checkRequestOrigin(req.headers, policy);
    if (refused !== null) return rejectUpgrade(socket, 403, 'unauthorized', `refused: ${refused}`);
    if (!authorised(req, url.searchParams.get('token'))) return rejectUpgrade(socket, 401, 'unauthorized', unauthorizedMessage);
    hub.accept(req, socket, head);
  }

  const server = createServer((req, res) => {
    const url = requestUrl(req);
    const handled =
      url === null
        ? Promise.resolve(sendError(res, 400, 'invalid-request', 'the request target is not a valid path'))
        : url.pathname === '/api' || url.pathname.startsWith('/api/')
          ? handleApi(req, res, url.pathname)
          : serveStaticFile(req, res, options.staticDir, url.pathname);
    handled.catch((error: unknown) => {
      // Only a bug gets here (dispatch never throws): answer if still possible, and keep serving.
      console.error('curvelab server:', error);
      if (!res.headersSent) sendError(res, 500, 'internal', error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  });
  server.on('upgrade', handleUpgrade);

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(ListenError.fromSystemError(error, options.host, options.port));
    server.once('error', onError);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', onError);
      resolve();
    });
  }).catch((error: unknown) => {
    hub.close();
    throw error;
  });
  // Later socket-level errors are per connection; they must not take the server down.
  server.on('error', (error) => console.error('curvelab server:', error));

  const port = (server.address() as AddressInfo).port;
  policy.port = port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost(options.host)}:${port}/`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://server.invalid');
  } catch {
    return null;
  }
}

/** How the listening address is written in a URL: brackets for IPv6; a wildcard is reached by the machine's name. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return hostname();
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
