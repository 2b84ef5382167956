import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LabEvent } from '../lab/api/labApi';
import { startLabServer, type LabServer, type LabServerOptions } from './labServer';
import { callApi, createFakeLabHost, rawRequest, testToken, type FakeLabHost } from './labServerTestKit';
import { ListenError } from './listenError';

const root = mkdtempSync(join(tmpdir(), 'curvelab-server-'));
const staticDir = join(root, 'renderer');
mkdirSync(join(staticDir, 'assets'), { recursive: true });
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>CurveLab test page</title>');
writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log("app")');
writeFileSync(join(staticDir, 'assets', 'app-1234.css'), 'body{}');
writeFileSync(join(root, 'secret.txt'), 'not for the web');
symlinkSync(join(root, 'secret.txt'), join(staticDir, 'link-out.txt'));
const emptyDir = join(root, 'not-built');
mkdirSync(emptyDir);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const open: LabServer[] = [];
/** What a call needs besides its body: the token every server here is started with. */
const auth = { Authorization: `Bearer ${testToken}` };
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(options: Partial<LabServerOptions> = {}): Promise<{ server: LabServer; host: FakeLabHost }> {
  const host = createFakeLabHost();
  const server = await startLabServer(host, { host: '127.0.0.1', port: 0, staticDir, token: testToken, ...options });
  open.push(server);
  return { server, host };
}

/** Resolves with the WebSocket once open, or with the HTTP status the server refused the upgrade with. */
function openSocket(url: string, headers: Record<string, string> = {}): Promise<{ socket: WebSocket } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
    });
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')))));
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startLabServer: the Lab API over HTTP', () => {
  it('answers a good call with the value in the envelope', async () => {
    const { server } = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const res = await callApi(server.port, 'createExperiment', JSON.stringify({ name: 'first', tags: ['a'] }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({
      ok: true,
      value: { id: 1, uid: 'uid-1', name: 'first', notes: '', tags: ['a'], createdAt: '2025-01-01T00:00:00.000Z', runCount: 0 },
    });
  });

  it('takes an empty body as no payload', async () => {
    const { server } = await start();
    const res = await callApi(server.port, 'listExperiments');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true, value: [] });
  });

  it('passes a handler’s typed error through in a 200 envelope', async () => {
    const { server } = await start();
    const res = await callApi(server.port, 'getExperiment', '{"id": 42}');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: false, error: { code: 'not-found', message: 'no experiment 42' } });
  });

  it.each([
    ['a field of the wrong type', '{"name": 5}', 'name', /expected string/],
    ['a missing field', '{}', 'name', /expected string, received undefined/],
    ['an unknown key', '{"name": "x", "bogus": 1}', 'bogus', /bogus/],
    ['a payload where none is taken', 'null', undefined, /expected undefined/],
  ])('refuses %s with invalid-request naming the field', async (_what, body, field, message) => {
    const { server } = await start();
    const method = body === 'null' ? 'listExperiments' : 'createExperiment';
    const res = await callApi(server.port, method, body);
    expect(res.status).toBe(200);
    const envelope = res.json() as { ok: boolean; error: { code: string; message: string; field?: string } };
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('invalid-request');
    expect(envelope.error.field).toBe(field);
    expect(envelope.error.message).toMatch(message);
  });

  it('refuses an unknown method with invalid-request', async () => {
    const { server } = await start();
    const res = await callApi(server.port, 'dropAllTables', '{}');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('dropAllTables') } });
  });

  it('answers 400 with an envelope for a body that is not JSON, not UTF-8 or too large', async () => {
    const { server } = await start({ maxBodyBytes: 1024 });
    const notJson = await callApi(server.port, 'createExperiment', '{name: oops');
    expect(notJson.status).toBe(400);
    expect(notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/not valid JSON/) } });

    const notUtf8 = await rawRequest(server.port, { method: 'POST', path: '/api/createExperiment', headers: auth, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.json()).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/UTF-8/) } });

    const big = JSON.stringify({ name: 'x'.repeat(2000) });
    const tooLarge = await callApi(server.port, 'createExperiment', big);
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.json()).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/limit of 1024 bytes/) } });

    // Chunked, so the size is only found out while reading.
    const chunked = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/createExperiment',
      headers: { 'Transfer-Encoding': 'chunked', ...auth },
      body: big,
    });
    expect(chunked.status).toBe(400);
    expect((await callApi(server.port, 'listExperiments')).json()).toEqual({ ok: true, value: [] }); // still serving
  });

  it('answers 404 for an unknown API path and 405 for a wrong HTTP method, both as envelopes', async () => {
    const { server } = await start();
    const nested = await callApi(server.port, 'runs/1', '{}');
    expect(nested.status).toBe(404);
    expect(nested.json()).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const bare = await callApi(server.port, '', '{}');
    expect(bare.status).toBe(404);

    const get = await rawRequest(server.port, { path: '/api/listExperiments', headers: auth });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(get.json()).toMatchObject({ ok: false, error: { code: 'invalid-request' } });

    const postEvents = await rawRequest(server.port, { method: 'POST', path: '/api/events', headers: auth });
    expect(postEvents.status).toBe(405);
    const plainGetEvents = await rawRequest(server.port, { path: '/api/events', headers: auth });
    expect(plainGetEvents.status).toBe(426);
  });

  it('survives garbage on the wire and keeps serving', async () => {
    const { server } = await start();
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const badEscape = await rawRequest(server.port, { path: '/%E0%A4%A' });
    expect(badEscape.status).toBe(400);
    expect((await callApi(server.port, 'listExperiments')).status).toBe(200);
  });
});

describe('startLabServer: the renderer’s files', () => {
  it('serves index.html for / (revalidated each time) and assets with their content types', async () => {
    const { server } = await start();
    const index = await rawRequest(server.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.text).toContain('CurveLab test page');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');

    const js = await rawRequest(server.port, { path: '/assets/app-1234.js' });
    expect(js.status).toBe(200);
    expect(js.text).toBe('console.log("app")');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toMatch(/immutable/);
    const css = await rawRequest(server.port, { path: '/assets/app-1234.css?v=1' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');

    const head = await rawRequest(server.port, { method: 'HEAD', path: '/' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-length']).toBe(String('<!doctype html><title>CurveLab test page</title>'.length));

    expect((await rawRequest(server.port, { path: '/missing.js' })).status).toBe(404);
    expect((await rawRequest(server.port, { path: '/assets' })).status).toBe(404); // a folder
    expect((await rawRequest(server.port, { method: 'DELETE', path: '/' })).status).toBe(405);
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2Fsecret.txt', '/assets%2F..%2F..%2Fsecret.txt', '/link-out.txt'])(
    'refuses to leave the static folder: %s',
    async (path) => {
      const { server } = await start();
      const res = await rawRequest(server.port, { path });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('not for the web');
    },
  );

  it('says to build the renderer when there is no index.html, while the API still works', async () => {
    const { server } = await start({ staticDir: emptyDir });
    const page = await rawRequest(server.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('npm run build');
    expect((await callApi(server.port, 'listExperiments')).json()).toEqual({ ok: true, value: [] });
  });
});

describe('startLabServer: events over the WebSocket', () => {
  it('sends every lab event as one JSON message and unsubscribes when the client leaves', async () => {
    const { server, host } = await start();
    const opened = await openSocket(`ws://127.0.0.1:${server.port}/api/events?token=${testToken}`);
    if (!('socket' in opened)) throw new Error(`refused with ${opened.refused}`);
    const { socket } = opened;
    expect(host.listenerCount).toBe(1);

    const first: LabEvent = { type: 'experiments-changed' };
    const second: LabEvent = { type: 'run-status', runId: 7, run: null };
    const received = new Promise<unknown[]>((resolve) => {
      const messages: unknown[] = [];
      socket.on('message', (data: Buffer) => {
        messages.push(JSON.parse(data.toString('utf8')));
        if (messages.length === 2) resolve(messages);
      });
    });
    host.emit(first);
    host.emit(second);
    expect(await received).toEqual([first, second]);

    socket.close();
    await waitFor(() => host.listenerCount === 0, 'the server to unsubscribe');
  });

  it('shares one lab subscription between clients', async () => {
    const { server, host } = await start();
    const a = await openSocket(`ws://127.0.0.1:${server.port}/api/events?token=${testToken}`);
    const b = await openSocket(`ws://127.0.0.1:${server.port}/api/events?token=${testToken}`);
    if (!('socket' in a) || !('socket' in b)) throw new Error('refused');
    expect(host.listenerCount).toBe(1);
    const both = Promise.all([nextMessage(a.socket), nextMessage(b.socket)]);
    host.emit({ type: 'datasets-changed' });
    expect(await both).toEqual([{ type: 'datasets-changed' }, { type: 'datasets-changed' }]);
    a.socket.close();
    await new Promise((r) => a.socket.once('close', r));
    expect(host.listenerCount).toBe(1);
    b.socket.close();
    await waitFor(() => host.listenerCount === 0, 'the last client to leave');
  });

  it('drops a client that stops answering pings', async () => {
    const { server, host } = await start({ pingIntervalMs: 50 });
    // A hand-made WebSocket client that completes the handshake and then never answers anything.
    const closed = new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          `GET /api/events?token=${testToken} HTTP/1.1\r\nHost: 127.0.0.1:` +
            server.port +
            '\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    const seen = await closed;
    expect(seen).toMatch(/^HTTP\/1\.1 101/);
    await waitFor(() => host.listenerCount === 0, 'the server to unsubscribe');

    // A client that answers pings (ws does so by itself) outlives many intervals.
    const healthy = await openSocket(`ws://127.0.0.1:${server.port}/api/events?token=${testToken}`);
    if (!('socket' in healthy)) throw new Error('refused');
    await new Promise((r) => setTimeout(r, 400));
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    healthy.socket.close();
  });

  it('closes its clients when the server closes', async () => {
    const { server } = await start();
    const opened = await openSocket(`ws://127.0.0.1:${server.port}/api/events?token=${testToken}`);
    if (!('socket' in opened)) throw new Error('refused');
    const code = new Promise<number>((resolve) => opened.socket.once('close', (c: number) => resolve(c)));
    await server.close();
    expect(await code).toBe(1001);
  });

  it('refuses a WebSocket anywhere else', async () => {
    const { server } = await start();
    expect(await openSocket(`ws://127.0.0.1:${server.port}/api/other`)).toEqual({ refused: 404 });
  });
});

describe('startLabServer: who may call', () => {
  const token = 'test-token-0123456789';

  it('requires the token on every API call', async () => {
    const { server } = await start({ token });
    const without = await callApi(server.port, 'listExperiments', undefined, { Authorization: '' });
    expect(without.status).toBe(401);
    expect(without.headers['www-authenticate']).toBe('Bearer');
    expect(without.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await callApi(server.port, 'listExperiments', undefined, { Authorization: `Bearer ${token}x` });
    expect(wrong.status).toBe(401);
    const right = await callApi(server.port, 'listExperiments', undefined, { Authorization: `Bearer ${token}` });
    expect(right.status).toBe(200);
    expect(right.json()).toEqual({ ok: true, value: [] });
    // The page itself is not secret: it reads ?token= from its own address.
    expect((await rawRequest(server.port, { path: `/?token=${token}` })).status).toBe(200);
  });

  it('requires the token on the WebSocket, in the URL or the header', async () => {
    const { server } = await start({ token });
    const base = `ws://127.0.0.1:${server.port}/api/events`;
    expect(await openSocket(base)).toEqual({ refused: 401 });
    expect(await openSocket(`${base}?token=nope`)).toEqual({ refused: 401 });
    const byQuery = await openSocket(`${base}?token=${token}`);
    expect('socket' in byQuery).toBe(true);
    if ('socket' in byQuery) byQuery.socket.close();
    const byHeader = await openSocket(base, { Authorization: `Bearer ${token}` });
    expect('socket' in byHeader).toBe(true);
    if ('socket' in byHeader) byHeader.socket.close();
  });

  it('refuses calls from a page of another origin, and a rebound host name', async () => {
    const { server } = await start();
    const own = `http://127.0.0.1:${server.port}`;
    const same = await callApi(server.port, 'listExperiments', undefined, { Origin: own });
    expect(same.status).toBe(200);
    const viaLocalhost = await callApi(server.port, 'listExperiments', undefined, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` });
    expect(viaLocalhost.status).toBe(200);

    const foreign = await callApi(server.port, 'listExperiments', undefined, { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.json()).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('evil.example') } });
    const otherPort = await callApi(server.port, 'listExperiments', undefined, { Origin: `http://127.0.0.1:${server.port + 1}` });
    expect(otherPort.status).toBe(403);
    const nullOrigin = await callApi(server.port, 'listExperiments', undefined, { Origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    // DNS rebinding: evil.example re-pointed at 127.0.0.1; the browser calls it same-origin.
    const rebound = await callApi(server.port, 'listExperiments', undefined, { Host: `evil.example:${server.port}`, Origin: `http://evil.example:${server.port}` });
    expect(rebound.status).toBe(403);

    expect(await openSocket(`ws://127.0.0.1:${server.port}/api/events?token=${testToken}`, { Origin: 'http://evil.example' })).toEqual({ refused: 403 });
    const ownSocket = await openSocket(`ws://127.0.0.1:${server.port}/api/events?token=${testToken}`, { Origin: own });
    expect('socket' in ownSocket).toBe(true);
    if ('socket' in ownSocket) ownSocket.socket.close();
  });

  it('will not serve a non-loopback address without a token', async () => {
    await expect(startLabServer(createFakeLabHost(), { host: '0.0.0.0', port: 0, staticDir, token: '' })).rejects.toThrow(/without an access token/);
  });

  it('will not serve a loopback address without a token either: other users of the machine reach it too', async () => {
    await expect(startLabServer(createFakeLabHost(), { host: '127.0.0.1', port: 0, staticDir, token: '' })).rejects.toThrow(/without an access token/);
  });

  it('refuses a tokenless call on 127.0.0.1, from any loopback Host, and answers it with the token', async () => {
    const { server } = await start();
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `127.0.0.2:${server.port}`]) {
      const refused = await callApi(server.port, 'listExperiments', undefined, { Authorization: '', Host: host });
      expect(refused.status, host).toBe(401);
      expect(refused.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect((await callApi(server.port, 'listExperiments', undefined, { Authorization: `Bearer ${testToken}` })).json()).toEqual({ ok: true, value: [] });
    expect(await openSocket(`ws://127.0.0.1:${server.port}/api/events`)).toEqual({ refused: 401 });
  });

  it.for(['127.0.0.2', 'localhost', '::1'])('requires the token when bound to %s', async (address, context) => {
    const server = await startLabServer(createFakeLabHost(), { host: address, port: 0, staticDir, token: testToken }).catch((error: unknown) => {
      if (error instanceof ListenError && address === '::1') return null; // a machine without IPv6 on loopback
      throw error;
    });
    if (server === null) return context.skip();
    open.push(server);
    const url = new URL('api/listExperiments', server.url);
    const without = await fetch(url, { method: 'POST' });
    expect(without.status).toBe(401);
    const withToken = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${testToken}` } });
    expect(await withToken.json()).toEqual({ ok: true, value: [] });
  });

  it('reports a port in use as a ListenError', async () => {
    const { server } = await start();
    const second = startLabServer(createFakeLabHost(), { host: '127.0.0.1', port: server.port, staticDir, token: testToken });
    await expect(second).rejects.toBeInstanceOf(ListenError);
    await expect(second).rejects.toMatchObject({ reason: 'port-in-use', message: expect.stringContaining(`127.0.0.1:${server.port}`) });
  });
});
