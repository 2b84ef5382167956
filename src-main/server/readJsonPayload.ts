import type { IncomingMessage } from 'node:http';
import { describeJsonBound, JsonBoundsCheck } from '../lab/api/jsonBounds';
import type { BodyLimits } from './bodyLimits';

export type PayloadResult = { ok: true; payload: unknown } | { ok: false; message: string };

/**
 * Reads a request body as the JSON payload of a Lab API call: an empty body is no payload
 * (`undefined`); anything that is not UTF-8 JSON, longer than `limits.maxBytes`, or nesting deeper or
 * holding more values than its bounds, is refused with a message. Reading stops at the first bound
 * passed, counted chunk by chunk as the body arrives, so a hostile body costs no more than the limit of
 * memory and is never parsed.
 */
export function readJsonPayload(req: IncomingMessage, limits: BodyLimits): Promise<PayloadResult> {
  const { maxBytes } = limits;
  const tooLarge: PayloadResult = { ok: false, message: `the request body is larger than the limit of ${maxBytes} bytes` };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(tooLarge);

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const bounds = new JsonBoundsCheck(limits);
    let size = 0;
    let settled = false;
    const settle = (result: PayloadResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const refuse = (result: PayloadResult): void => {
      chunks.length = 0;
      req.pause();
      settle(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) return refuse(tooLarge);
      const passed = bounds.push(chunk);
      if (passed !== null) return refuse({ ok: false, message: `the request body ${describeJsonBound(passed, limits)}` });
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', (error) => settle({ ok: false, message: `the request body could not be read: ${error.message}` }));
    req.on('aborted', () => settle({ ok: false, message: 'the request was aborted' }));
    req.on('end', () => settle(parsePayload(Buffer.concat(chunks, size))));
  });
}

function parsePayload(body: Buffer): PayloadResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, message: 'the request body is not UTF-8 text' };
  }
  if (text.trim() === '') return { ok: true, payload: undefined };
  try {
    return { ok: true, payload: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `the request body is not valid JSON (${(error as Error).message})` };
  }
}
