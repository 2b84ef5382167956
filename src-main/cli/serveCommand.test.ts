import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabEvent, MachineInfo } from '../lab/api/labApi';
import type { OpenLabOptions } from '../lab/lab';
import { UserInputError } from '../engine/errors';
import { startLabServer } from '../server/labServer';
import { callApi, createFakeLabApi, createFakeLabHost, testToken } from '../server/labServerTestKit';
import { DEFAULT_SERVE_PORT, parseServeArgs, runServeCommand, type ServableLab } from './serveCommand';
import { UsageError } from './usageError';

const rendererDir = mkdtempSync(join(tmpdir(), 'curvelab-serve-'));
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

describe('parseServeArgs', () => {
  it('defaults to 127.0.0.1:7860 and the default database', () => {
    expect(DEFAULT_SERVE_PORT).toBe(7860);
    expect(parseServeArgs([], { CURVELAB_DB: '/data/lab.db' })).toEqual({ databasePath: '/data/lab.db', host: '127.0.0.1', port: 7860 });
  });

  it('reads every flag', () => {
    expect(parseServeArgs(['--db', 'x.db', '--port', '0', '--host', '0.0.0.0', '--backend', 'cpu', '--concurrency', '3'], {})).toEqual({
      databasePath: 'x.db',
      host: '0.0.0.0',
      port: 0,
      backend: 'cpu',
      concurrency: 3,
    });
  });

  it.each([
    [['--port', '65536'], /--port 65536: expected a port number from 0 to 65535/],
    [['--port', '-1'], /--port/],
    [['--port', '80a'], /--port 80a/],
    [['--concurrency', '0'], /--concurrency 0: expected a positive integer/],
    [['--host', ''], /--host "": expected an address/],
    [['--bogus'], /bogus/],
    [['extra'], /extra/],
  ])('refuses %j with a UsageError naming the flag', (argv, message) => {
    expect(() => parseServeArgs(argv, {})).toThrow(UsageError);
    expect(() => parseServeArgs(argv, {})).toThrow(message);
  });
});

/** A lab that records how it was opened and whether it was closed. */
function fakeLab(): { lab: ServableLab; opened: OpenLabOptions[]; closed: () => boolean; open: (o: OpenLabOptions) => Promise<ServableLab> } {
  const api = createFakeLabApi();
  let closed = false;
  const opened: OpenLabOptions[] = [];
  const lab: ServableLab = Object.assign(api, {
    getMachine: async () => ({ backend: { name: 'fake-backend', reason: '', attempts: [] } }) as unknown as MachineInfo,
    subscribe: (_listener: (event: LabEvent) => void) => () => {},
    close: async () => {
      closed = true;
    },
  });
  return {
    lab,
    opened,
    closed: () => closed,
    open: async (o) => {
      opened.push(o);
      return lab;
    },
  };
}

/** Runs serve until `stop` is called; resolves with the printed line once it is serving. */
function serve(argv: string[], fake: ReturnType<typeof fakeLab>) {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let printed!: (line: string) => void;
  const line = new Promise<string>((resolve) => (printed = resolve));
  const exit = runServeCommand(argv, { openLab: fake.open, rendererDir, waitForStop: () => stopped, print: printed });
  return { line: Promise.race([line, exit.then((code) => `exited early with ${code}`)]), exit, stop };
}

describe('runServeCommand', () => {
  it('opens the lab in web mode, serves it on loopback with a token printed in the address, and closes it when stopped', async () => {
    const fake = fakeLab();
    const run = serve(['--db', '/tmp/lab-under-test.db', '--port', '0', '--backend', 'cpu', '--concurrency', '2'], fake);
    const line = await run.line;
    const match = /^CurveLab is serving on http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{32}) \(backend fake-backend, database \/tmp\/lab-under-test\.db\)$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(fake.opened).toEqual([{ databasePath: '/tmp/lab-under-test.db', mode: 'web', backend: 'cpu', concurrency: 2 }]);

    const port = Number(match![1]);
    const auth = { Authorization: `Bearer ${match![2]}` };
    // Other users of the machine reach loopback too: without the token, nothing.
    expect((await callApi(port, 'createExperiment', '{"name":"no token"}', { Authorization: '' })).status).toBe(401);
    expect((await callApi(port, 'createExperiment', '{"name":"via serve"}', auth)).json()).toMatchObject({ ok: true, value: { name: 'via serve' } });

    run.stop();
    expect(await run.exit).toBe(0);
    expect(fake.closed()).toBe(true);
    await expect(callApi(port, 'listExperiments')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('requires a token, printed in the address, on a non-loopback address', async () => {
    const fake = fakeLab();
    const run = serve(['--port', '0', '--host', '0.0.0.0', '--db', 'x.db'], fake);
    const line = await run.line;
    const match = /^CurveLab is serving on http:\/\/\S+:(\d+)\/\?token=([A-Za-z0-9_-]{32}) \(backend fake-backend, database x\.db\)$/.exec(line);
    expect(match, line).not.toBeNull();
    const [, port, token] = match!;
    expect((await callApi(Number(port), 'listExperiments', undefined, { Authorization: '' })).status).toBe(401);
    expect((await callApi(Number(port), 'listExperiments', undefined, { Authorization: `Bearer ${token}` })).status).toBe(200);
    run.stop();
    expect(await run.exit).toBe(0);
  });

  it('prints the address line, then how to open it and stop, and nothing else', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const exit = runServeCommand(['--port', '0', '--db', 'x.db'], {
      openLab: fakeLab().open,
      rendererDir,
      waitForStop: () => new Promise<void>((resolve) => (stop = resolve)),
      print: (line) => lines.push(line),
    });
    while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    stop();
    expect(await exit).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^CurveLab is serving on http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32} \(backend fake-backend, database x\.db\)$/);
    expect(lines[1]).toBe('Open that address in a web browser. Ctrl-C to stop.');
  });

  it('reports a port in use as a user error (exit 2) naming the port, and closes the lab', async () => {
    const other = await startLabServer(createFakeLabHost(), { host: '127.0.0.1', port: 0, staticDir: rendererDir, token: testToken });
    try {
      const fake = fakeLab();
      const run = runServeCommand(['--port', String(other.port), '--db', 'x.db'], { openLab: fake.open, rendererDir, waitForStop: () => new Promise(() => {}), print: () => {} });
      await expect(run).rejects.toBeInstanceOf(UserInputError);
      await expect(run).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${other.port}: the port is already in use.*--port`));
      expect(fake.closed()).toBe(true);
    } finally {
      await other.close();
    }
  });
});
