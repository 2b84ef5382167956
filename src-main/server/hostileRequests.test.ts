import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from './labServer';
import { callApi, createFakeLabHost, testToken, type RawResponse } from './labServerTestKit';

/**
 * Requests meant to freeze the server (bodies that parse into millions of values, requests that expand
 * into millions of runs): each is refused, and the server answers another call within a second while
 * it is.
 */

const open: LabServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(): Promise<LabServer> {
  const server = await startLabServer(createFakeLabHost(), { host: '127.0.0.1', port: 0, staticDir: '/nonexistent', token: testToken });
  open.push(server);
  return server;
}

const MiB = 2 ** 20;

/**
 * POSTs a body chunk by chunk (chunked transfer, a pause between chunks, as a slow client sends), and
 * resolves with the answer: the server may answer and close before the body is all sent.
 */
function postInChunks(port: number, method: string, chunks: Iterable<Buffer>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      { agent: false, host: '127.0.0.1', port, method: 'POST', path: `/api/${method}`, headers: { Authorization: `Bearer ${testToken}`, 'Content-Type': 'application/json' } },
      (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
        });
        res.on('error', reject);
      },
    );
    // Writing into a connection the server has already answered and closed fails; the answer is what counts.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const iterator = chunks[Symbol.iterator]();
    const writeNext = (): void => {
      if (answered || req.destroyed) return;
      const next = iterator.next();
      if (next.done) {
        req.end();
        return;
      }
      req.write(next.value, () => setTimeout(writeNext, 1));
    };
    writeNext();
  });
}

/** `[{},{},…]` in 64 KiB chunks, `total` bytes in all. */
function* emptyObjects(total: number): Generator<Buffer> {
  const chunk = Buffer.from('{},'.repeat(64 * 1024 / 3));
  yield Buffer.from('[');
  for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
  yield Buffer.from('{}]');
}

/** The time another call takes to be answered, with its answer. */
async function timedCall(port: number): Promise<{ ms: number; response: RawResponse }> {
  const started = performance.now();
  const response = await callApi(port, 'listExperiments');
  return { ms: performance.now() - started, response };
}

describe('hostile requests are refused, and the server keeps answering', () => {
  it('refuses 16 MiB of [{},{},…] to an ordinary call after at most 250,000 values, never parsing it', async () => {
    const server = await start();
    const hostile = postInChunks(server.port, 'createExperiment', emptyObjects(16 * MiB));
    const other = await timedCall(server.port);
    expect(other.response.json()).toEqual({ ok: true, value: [] });
    expect(other.ms).toBeLessThan(1000);
    const refused = await hostile;
    expect(refused.status).toBe(400);
    expect(refused.json()).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: 'the request body holds more than 250,000 values (objects, arrays and list items)' },
    });
    // A body declared larger than an ordinary call's 4 MiB is refused before it is read.
    const declared = await callApi(server.port, 'createExperiment', JSON.stringify({ name: 'x'.repeat(5 * MiB) }));
    expect(declared.json()).toEqual({ ok: false, error: { code: 'invalid-request', message: 'the request body is larger than the limit of 4194304 bytes' } });
  });

  it('takes large bodies only for files, and only as few values: [{},{},…] to importArchive is refused after 1,000', async () => {
    const server = await start();
    const hostile = postInChunks(server.port, 'importArchive', emptyObjects(16 * MiB));
    const other = await timedCall(server.port);
    expect(other.ms).toBeLessThan(1000);
    expect((await hostile).json()).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: 'the request body holds more than 1,000 values (objects, arrays and list items)' },
    });
    // An archive of 8 MiB travels as one base64 string: the body reaches the lab (whose fake has no importArchive).
    const archive = JSON.stringify({ base64: Buffer.alloc(6 * MiB, 1).toString('base64'), fileName: 'a.zip' });
    const passed = await postInChunks(server.port, 'importArchive', [Buffer.from(archive)]);
    expect(passed.status).toBe(200);
    expect(passed.json()).toMatchObject({ ok: false, error: { code: 'internal', message: 'fake lab: importArchive is not implemented' } });
  });

  it('refuses JSON nested deeper than 128 levels', async () => {
    const server = await start();
    const deep = await callApi(server.port, 'describeArchitecture', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(deep.status).toBe(400);
    expect(deep.json()).toEqual({ ok: false, error: { code: 'invalid-request', message: 'the request body nests objects and arrays more than 128 deep' } });
  });

  it('refuses a sweep of 3 grid keys × 50 values × 100 seeds without expanding it, answering the next call meanwhile', async () => {
    const server = await start();
    const values = (scale: number) => Array.from({ length: 50 }, (_, i) => (i + 1) / (50 * scale));
    const sweep = {
      base: { dataset: 'mnist', arch: 'mlp', steps: 1 },
      optimizers: [{ name: 'curveball', grid: { lr: values(1), momentum: values(2), rho: values(4) } }],
      seeds: Array.from({ length: 100 }, (_, i) => i),
    };
    const [refused, other] = await Promise.all([callApi(server.port, 'startRuns', JSON.stringify(sweep)), timedCall(server.port)]);
    expect(other.ms).toBeLessThan(1000);
    expect(refused.json()).toEqual({
      ok: false,
      error: { code: 'invalid-request', message: 'startRuns: payload: the request expands to 12,500,000 runs (grid combinations × seeds); at most 5,000' },
    });
  });

  it('refuses readCurves of 500 copies of one run id', async () => {
    const server = await start();
    const refused = await callApi(server.port, 'readCurves', JSON.stringify({ runIds: Array(500).fill(1), maxPoints: 1000 }));
    expect(refused.json()).toEqual({
      ok: false,
      error: { code: 'invalid-request', field: 'runIds.1', message: "readCurves: field 'runIds.1': run id 1 is listed twice" },
    });
  });
});
