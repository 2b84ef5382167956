import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { LabErrorCode, LabResponse } from '../lab/api/labApi';

/** Headers every answer carries: no MIME sniffing, no framing by other sites (clickjacking). */
export const baseHeaders = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' } as const;

/** Sends a JSON body; API answers are never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...baseHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** The Lab API's error envelope, so that a client reads transport errors the same way as handler errors. */
export function errorEnvelope(code: LabErrorCode, message: string): LabResponse<never> {
  return { ok: false, error: { code, message } };
}

export function sendError(res: ServerResponse, status: number, code: LabErrorCode, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, errorEnvelope(code, message), headers);
}

/** Answers a refused WebSocket upgrade on the raw socket (there is no ServerResponse for an upgrade). */
export function rejectUpgrade(socket: Duplex, status: number, code: LabErrorCode, message: string): void {
  const body = JSON.stringify(errorEnvelope(code, message));
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  if (status === 401) head.push('WWW-Authenticate: Bearer');
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
